/// <reference types="vite/client" />
import type { Org2faBridge } from '../../shared/bridge';

declare global {
  interface Window {
    /** Present under Electron (preload); absent in a browser on the loopback web host. */
    api?: Org2faBridge;
  }
}
