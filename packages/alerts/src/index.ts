export { createPgAlertSink } from './pg-alert-sink.js';
export type { Alert, AlertSink } from './alert.js';
