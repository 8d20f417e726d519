/**
 * Whether a host (an address given to listen, or the name in a `Host`
 * header, IPv6 with or without brackets) is this machine's loopback:
 * localhost and its subdomains (RFC 6761), 127.0.0.0/8, ::1.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = (
    host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host
  ).toLowerCase();
  return (
    bare === "localhost" ||
    bare.endsWith(".localhost") ||
    bare === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}
