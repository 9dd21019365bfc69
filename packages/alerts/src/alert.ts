/** Security alerts: raised where something happens, stored for officers (and, later, detectors and notifiers). */
export interface Alert {
  /** What happened, dotted: 'totp.replay', 'auth.lockout', 'access.breakglass'. */
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  principalId?: string;
  /** Who or what it concerns when there is no principal id (a login name, a request id). */
  subject?: string;
  /** Small non-sensitive facts; never a password, code, token or data value. */
  detail: Record<string, unknown>;
  ts: Date;
}

/** raise resolves once the alert is stored and rejects if it could not be. */
export interface AlertSink {
  raise(alert: Alert): Promise<void>;
}
