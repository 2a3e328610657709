import { X509Certificate } from 'node:crypto';
import { derToPem, makeCertificate } from '../../../src/provider/plugin/certificate';

describe('plugin TLS certificate', () => {
  test('is a self-signed localhost certificate valid for server and client auth', () => {
    const c = makeCertificate(new Date('2030-01-01T00:00:00Z'));
    const x = new X509Certificate(c.der);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.ca).toBe(true);
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.parse('2030-01-01T00:00:00Z'));
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.parse('2030-01-02T00:00:00Z'));
    expect(new X509Certificate(c.certPem).fingerprint256).toBe(x.fingerprint256);
  });

  const lengths: { reason: string; bytes: number }[] = [
    { reason: 'base64 length an exact multiple of 64 (no empty line before END)', bytes: 48 * 8 },
    { reason: 'one byte more', bytes: 48 * 8 + 1 },
    { reason: 'a short DER', bytes: 10 },
  ];
  test.each(lengths)('PEM lines are never empty: $reason', ({ bytes }) => {
    const pem = derToPem(Buffer.alloc(bytes, 7));
    expect(pem.split('\n').slice(0, -1).every((l) => l.length > 0 && l.length <= 64)).toBe(true);
    expect(Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64').length).toBe(bytes);
  });

  test('many fresh certificates all parse from their PEM (serials and signatures vary in length)', () => {
    for (let i = 0; i < 200; i++) {
      const c = makeCertificate();
      expect(() => new X509Certificate(c.certPem)).not.toThrow();
    }
  });
});
