/** IP addresses and CIDRs for the Kubernetes CEL `ip` and `cidr` libraries (netip semantics). */
import { formatAddress, parseIPv4, parseIPv6, type IpFamily } from '../network/ip.js';

export class IPAddr {
  constructor(
    readonly family: IpFamily,
    readonly value: bigint,
  ) {}
  /** netip.ParseAddr: no leading zeros in IPv4, no zones, no IPv4-mapped IPv6 (the library rejects them). */
  static parse(text: string): IPAddr | undefined {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) {
      if (text.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
      const v = parseIPv4(text);
      return v === undefined ? undefined : new IPAddr(4, v);
    }
    if (!text.includes(':') || text.includes('%')) return undefined;
    const v = parseIPv6(text);
    if (v === undefined) return undefined;
    if (v >> 32n === 0xffffn) return undefined; // IPv4-mapped IPv6
    return new IPAddr(6, v);
  }
  toString(): string {
    return formatAddress(this.family, this.value);
  }
  private inRange(base: bigint, prefix: number): boolean {
    const bits = this.family === 4 ? 32 : 128;
    return this.value >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);
  }
  isUnspecified(): boolean {
    return this.value === 0n;
  }
  isLoopback(): boolean {
    return this.family === 4 ? this.inRange(0x7f000000n, 8) : this.value === 1n;
  }
  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.inRange(0xe0000000n, 24) : this.inRange(0xff02n << 112n, 16);
  }
  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.inRange(0xa9fe0000n, 16) : this.inRange(0xfe80n << 112n, 10);
  }
  isMulticast(): boolean {
    return this.family === 4 ? this.inRange(0xe0000000n, 4) : this.inRange(0xffn << 120n, 8);
  }
  isGlobalUnicast(): boolean {
    if (this.family === 4 && this.value === 0xffffffffn) return false;
    return !this.isUnspecified() && !this.isLoopback() && !this.isMulticast() && !this.isLinkLocalUnicast();
  }
}

export class CIDR {
  constructor(
    readonly addr: IPAddr,
    readonly prefix: number,
  ) {}
  static parse(text: string): CIDR | undefined {
    const slash = text.indexOf('/');
    if (slash === -1) return undefined;
    const addr = IPAddr.parse(text.slice(0, slash));
    const p = text.slice(slash + 1);
    if (!addr || !/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const prefix = Number(p);
    if (prefix > (addr.family === 4 ? 32 : 128)) return undefined;
    return new CIDR(addr, prefix);
  }
  /** cel-go's Size() of a CIDR (k8s.io/apiserver/pkg/cel/cidr.go): the prefix's bytes, ceil(bits / 8). */
  size(): number {
    return Math.ceil(this.prefix / 8);
  }
  private bits(): number {
    return this.addr.family === 4 ? 32 : 128;
  }
  masked(): CIDR {
    const host = BigInt(this.bits() - this.prefix);
    return new CIDR(new IPAddr(this.addr.family, (this.addr.value >> host) << host), this.prefix);
  }
  containsIP(ip: IPAddr): boolean {
    if (ip.family !== this.addr.family) return false;
    const host = BigInt(this.bits() - this.prefix);
    return ip.value >> host === this.addr.value >> host;
  }
  containsCIDR(other: CIDR): boolean {
    return other.addr.family === this.addr.family && other.prefix >= this.prefix && this.containsIP(other.addr);
  }
  toString(): string {
    return `${this.addr.toString()}/${this.prefix}`;
  }
}
