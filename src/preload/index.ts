import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { callChannel, pushChannel, type Org2faBridge } from '../shared/bridge';
import { isCallName } from '../shared/contract';
import { isPushEventName } from '../shared/push-events';

/**
 * The whole surface the renderer gets: invoke a contract call, listen to a push event. Names
 * outside the contract are refused here and again in main; `ipcRenderer` itself never leaks.
 */
const api: Org2faBridge = {
  invoke(name, input) {
    if (!isCallName(name)) return Promise.reject(new Error(`Unknown call ${String(name)}`));
    return ipcRenderer.invoke(callChannel(name), input);
  },
  on(event, listener) {
    if (!isPushEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(pushChannel(event), forward);
    return () => {
      ipcRenderer.removeListener(pushChannel(event), forward);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
