import os from 'node:os';
import type { ClientInfo } from './client-info';

/** The first non-internal address of this machine, IPv4 preferred; loopback if there is none. */
export function machineAddress(): string {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && !a.internal);
  return (
    addresses.find((a) => a.family === 'IPv4')?.address ?? addresses[0]?.address ?? '127.0.0.1'
  );
}

/** How audit rows describe calls from the desktop app: this machine, this app. */
export function desktopClient(appVersion: string, electronVersion: string): ClientInfo {
  return {
    ip: machineAddress(),
    userAgent: `Org2FAConsole/${appVersion} Electron/${electronVersion} (${process.platform})`,
  };
}
