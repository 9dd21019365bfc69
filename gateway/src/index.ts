export { build, REDACT } from './app.js';
export type { BuildOptions } from './app.js';
export type { Bindings, TableBinding } from './schema/bindings.js';
export { openRuntime } from './runtime.js';
export { openControlPlane } from './control-plane.js';
export { needsDemoData, seedWithMarker } from './demo-data.js';
