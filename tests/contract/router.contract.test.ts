import { contractSuite } from './contract-suite';
import { createTempApp, newCallContext } from '../support/temp-app';

contractSuite('the router, called directly', async () => {
  const temp = await createTempApp();
  return {
    app: temp.app,
    clock: temp.clock,
    newCaller() {
      const ctx = newCallContext();
      return { call: (name, input) => temp.app.router.dispatch(name, input, ctx) };
    },
    close: temp.close,
  };
});
