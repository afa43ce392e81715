/** A minimal ICC profile for tests: a header and one 'meta' dictionary (ICC.1:2010 dictType). */
export function iccWithMeta(entries: Record<string, string>): Buffer {
  const utf16 = (s: string) => {
    const b = Buffer.alloc(s.length * 2);
    for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), 2 * i);
    return b;
  };
  const recs = Object.entries(entries);
  const head = 16 + 16 * recs.length;
  const strings: Buffer[] = [];
  const dict = Buffer.alloc(head);
  dict.write('dict', 0, 'latin1');
  dict.writeUInt32BE(recs.length, 8);
  dict.writeUInt32BE(16, 12);
  let off = head;
  recs.forEach(([k, v], i) => {
    const kb = utf16(k);
    const vb = utf16(v);
    dict.writeUInt32BE(off, 16 + 16 * i);
    dict.writeUInt32BE(kb.length, 20 + 16 * i);
    dict.writeUInt32BE(off + kb.length, 24 + 16 * i);
    dict.writeUInt32BE(vb.length, 28 + 16 * i);
    off += kb.length + vb.length;
    strings.push(kb, vb);
  });
  const body = Buffer.concat([dict, ...strings]);
  const header = Buffer.alloc(128);
  header.writeUInt32BE(0x04300000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  const table = Buffer.alloc(16);
  table.writeUInt32BE(1, 0);
  table.write('meta', 4, 'latin1');
  table.writeUInt32BE(128 + 16, 8);
  table.writeUInt32BE(body.length, 12);
  const profile = Buffer.concat([header, table, body]);
  profile.writeUInt32BE(profile.length, 0);
  return profile;
}
