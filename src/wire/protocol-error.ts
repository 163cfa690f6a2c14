/**
 * The server sent something that is not ZooKeeper's protocol as this client speaks it: a frame
 * that ends too early, a length out of range, a reply to a request that was not the next one
 * waiting, an event type this client does not know. It costs the connection (the session goes on
 * over a new one), never the process: the byte stream can no longer be trusted.
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}
