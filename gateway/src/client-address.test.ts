import { describe, expect, it } from 'vitest';
import { clientOf } from './client-address.js';

describe('clientOf', () => {
  it('keeps an IPv4 client as it is, also written as IPv4-mapped IPv6', () => {
    expect(clientOf('203.0.113.9')).toBe('203.0.113.9');
    expect(clientOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('takes every address of one IPv6 /64 for one client', () => {
    expect(clientOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8:1:3::1')).not.toBe(clientOf('2001:db8:1:2::1'));
  });
});
