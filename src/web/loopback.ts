/**
 * Whether an address a server listens on is this machine's loopback:
 * localhost, 127.0.0.0/8, ::1 (IPv6 with or without brackets).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = (
    host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host
  ).toLowerCase();
  return (
    bare === "localhost" ||
    bare === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

/**
 * Whether the name in a `Host` header is one a browser takes to this
 * machine's loopback: the above, and any subdomain of localhost, which
 * browsers resolve to loopback themselves (RFC 6761).
 */
export function isLoopbackName(hostname: string): boolean {
  return hostname.toLowerCase().endsWith(".localhost") || isLoopbackHost(hostname);
}
