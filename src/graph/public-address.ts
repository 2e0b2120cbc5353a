/** Whether an IP address is routable on the internet (not private, loopback, link-local, CGNAT, ULA or documentation). */
export function isPublicAddress(addr: string): boolean {
  const a = addr.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [p, q] = [Number(v4[1]), Number(v4[2])];
    if ([p, q, Number(v4[3]), Number(v4[4])].some((x) => x > 255)) return false;
    if (p === 10 || p === 127 || p === 0 || p >= 224) return false;
    if (p === 172 && q >= 16 && q <= 31) return false;
    if (p === 192 && q === 168) return false;
    if (p === 169 && q === 254) return false;
    if (p === 100 && q >= 64 && q <= 127) return false;
    if ((p === 192 && q === 0 && Number(v4[3]) === 2) || (p === 198 && q === 51 && Number(v4[3]) === 100) || (p === 203 && q === 0 && Number(v4[3]) === 113)) return false;
    if (p === 198 && (q === 18 || q === 19)) return false;
    return true;
  }
  if (a.includes(':')) {
    const l = a.toLowerCase();
    if (l === '::1' || l === '::') return false;
    if (/^f[cd]/.test(l) || /^fe[89ab]/.test(l) || l.startsWith('2001:db8') || l.startsWith('ff')) return false;
    if (l.startsWith('::ffff:')) return isPublicAddress(l.slice(7));
    return /^[23]/.test(l);
  }
  return false;
}
