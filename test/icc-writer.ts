/** ICC profiles for tests: a v4 header and the tags given, each `[signature, body]`. */
export function iccProfile(tags: Array<[string, Buffer]>): Buffer {
  const header = Buffer.alloc(128);
  header.writeUInt32BE(0x04300000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  const table = Buffer.alloc(4 + 12 * tags.length);
  table.writeUInt32BE(tags.length, 0);
  let off = 128 + table.length;
  tags.forEach(([sig, body], i) => {
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(off, 8 + 12 * i);
    table.writeUInt32BE(body.length, 12 + 12 * i);
    off += body.length + ((4 - (body.length % 4)) % 4);
  });
  const bodies = tags.map(([, body]) => Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]));
  const profile = Buffer.concat([header, table, ...bodies]);
  profile.writeUInt32BE(profile.length, 0);
  return profile;
}

function utf16(s: string): Buffer {
  const b = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), 2 * i);
  return b;
}

/** A minimal ICC profile for tests: one 'meta' dictionary (ICC.1:2010 dictType). */
export function iccWithMeta(entries: Record<string, string>): Buffer {
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
  return iccProfile([['meta', Buffer.concat([dict, ...strings])]]);
}

/** A multiLocalizedUnicodeType ('mluc') tag body: one string per `language-COUNTRY`. */
export function mluc(strings: Record<string, string>): Buffer {
  const recs = Object.entries(strings);
  const head = Buffer.alloc(16 + 12 * recs.length);
  head.write('mluc', 0, 'latin1');
  head.writeUInt32BE(recs.length, 8);
  head.writeUInt32BE(12, 12);
  const texts: Buffer[] = [];
  let off = head.length;
  recs.forEach(([tag, text], i) => {
    const [lang, country] = tag.split('-') as [string, string];
    head.write(lang, 16 + 12 * i, 'latin1');
    head.write(country, 18 + 12 * i, 'latin1');
    const t = utf16(text);
    head.writeUInt32BE(t.length, 20 + 12 * i);
    head.writeUInt32BE(off, 24 + 12 * i);
    off += t.length;
    texts.push(t);
  });
  return Buffer.concat([head, ...texts]);
}
