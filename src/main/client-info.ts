/** Where a call came from, as the transport saw it; recorded with every audit event. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}
