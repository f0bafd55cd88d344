/**
 * Request headers a native call may carry upstream (Google's SDKs send them; uploads need them); every
 * other client header — Authorization, cookies, hosts, forwarding headers — stays at the gateway.
 */
export const FORWARDED_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'x-goog-api-client',
  'x-goog-upload-protocol',
  'x-goog-upload-command',
  'x-goog-upload-header-content-length',
  'x-goog-upload-header-content-type',
  'x-goog-upload-offset',
  'x-server-timeout',
] as const;
