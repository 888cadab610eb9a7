// Worker threads start without the parent's TypeScript loader: register it, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./flush-worker.ts');
