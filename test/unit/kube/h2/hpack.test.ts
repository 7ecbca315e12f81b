import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeHeaders,
  HeaderListSizeError,
  HpackDecoder,
  HpackError,
  huffmanDecode,
} from "../../../../src/kube/h2/hpack.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
/** A literal added to the table, its name new (short name and value: one-octet lengths). */
const lit = (n: string, v: string) =>
  Buffer.concat([Buffer.from([0x40, n.length]), Buffer.from(n), Buffer.from([v.length]), Buffer.from(v)]);

describe("HPACK decoder", () => {
  it("decodes the RFC 7541 C.4 requests (Huffman, then the dynamic table they fill)", () => {
    const d = new HpackDecoder();
    expect(d.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ]);
    expect(d.decode(hex("8286 84be 5886 a8eb 1064 9cbf"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ]);
    expect(d.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))).toEqual([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ]);
  });

  it("decodes blocks nghttp2 encoded (the hpack-test-case stories)", () => {
    const d = new HpackDecoder();
    expect(
      d.decode(
        hex("8741882f91d35d055c87a784827a879eb193aac92a136087f3e7cf9f3e7c874086f2b4e5a283ff84f07b2893"),
      ),
    ).toEqual([
      [":scheme", "https"],
      [":authority", "example.com"],
      [":path", "/"],
      [":method", "GET"],
      ["user-agent", "hpack-test"],
      ["cookie", "xxxxxxx1"],
      ["x-hello", "world"],
    ]);
    expect(d.decode(hex("87c18482c06087f3e7cf9f3e7c8b"))).toEqual([
      [":scheme", "https"],
      [":authority", "example.com"],
      [":path", "/"],
      [":method", "GET"],
      ["user-agent", "hpack-test"],
      ["cookie", "xxxxxxx2"],
    ]);
  });

  it("evicts the oldest entries when the table is full, and follows size updates", () => {
    const d = new HpackDecoder(100);
    // Each entry is 32 + 2 + 30 = 64 bytes: a table of 100 holds one.
    d.decode(Buffer.concat([lit("a1", "x".repeat(30))]));
    expect(d.decode(hex("be"))).toEqual([["a1", "x".repeat(30)]]);
    d.decode(lit("a2", "y".repeat(30)));
    expect(d.decode(hex("be"))).toEqual([["a2", "y".repeat(30)]]);
    expect(() => d.decode(hex("bf"))).toThrow(HpackError);
    // A size update to 0 empties the table; one beyond our limit is refused.
    d.decode(hex("20"));
    expect(() => d.decode(hex("be"))).toThrow(/beyond the table/);
    expect(() => d.decode(hex("3f 46"))).toThrow(/beyond the limit/);
  });

  it("refuses malformed blocks", () => {
    const d = new HpackDecoder();
    expect(() => d.decode(hex("80"))).toThrow(/index 0/);
    expect(() => d.decode(hex("ff"))).toThrow(/truncated/);
    expect(() => d.decode(hex("0085 f1e3"))).toThrow(/truncated/);
    expect(() => d.decode(hex("82 20"))).toThrow(/size update after/);
    expect(() => d.decode(hex("ff ff ff ff ff 0f"))).toThrow(/too large/);
  });

  it("refuses integers that overflow: over 5 continuation octets, or over 2^31 - 1 (RFC 7541 5.1)", () => {
    const d = new HpackDecoder();
    // A new name's length of 127 and 150 continuation octets of zeros: 0 * 2^1029 was NaN, and passed.
    expect(() => d.decode(Buffer.concat([hex("00 7f"), Buffer.alloc(150, 0x80), hex("00")]))).toThrow(
      /integer too large/,
    );
    expect(() => d.decode(hex("3f 80 80 80 80 80 00"))).toThrow(/integer too large/);
    // 2^31 - 1 is read (as a table size, then refused as one); 2^31 is not.
    expect(() => d.decode(hex("3f e0 ff ff ff 07"))).toThrow(/beyond the limit/);
    expect(() => d.decode(hex("3f e1 ff ff ff 07"))).toThrow(/integer too large/);
  });

  it("counts a header list as RFC 7541 does (name + value + 32); one over the limit is decoded whole, then refused", () => {
    const d = new HpackDecoder(4096, 100);
    // "ab" and 66 octets: 2 + 66 + 32 = 100, the limit exactly.
    expect(d.decode(lit("ab", "x".repeat(66)))).toEqual([["ab", "x".repeat(66)]]);
    // That field again, and "c" with no value (33): 133.
    let refused: unknown;
    try {
      d.decode(Buffer.concat([hex("be"), lit("c", "")]));
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HeaderListSizeError);
    expect((refused as Error).message).toBe("over the 100 bytes allowed");
    // The refused block went into the table all the same: "c" newest, then "ab".
    expect(d.decode(hex("be"))).toEqual([["c", ""]]);
    expect(d.decode(hex("bf"))).toEqual([["ab", "x".repeat(66)]]);
  });

  it("Huffman: the EOS code and padding that is not all ones are errors", () => {
    expect(huffmanDecode(hex("f1e3c2e5f23a6ba0ab90f4ff"), 0, 12)).toBe("www.example.com");
    // "0" is 00000 (5 bits): padded with ones it is valid, with zeros it is not.
    expect(huffmanDecode(Buffer.from([0b00000111]), 0, 1)).toBe("0");
    expect(() => huffmanDecode(Buffer.from([0b00000000]), 0, 1)).toThrow(/padding/);
    // A whole byte of ones is padding longer than 7 bits.
    expect(() => huffmanDecode(Buffer.from([0b00000111, 0xff]), 0, 2)).toThrow(/padding/);
    // EOS: 30 ones.
    expect(() => huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4)).toThrow(HpackError);
  });
});

describe("HPACK encoder", () => {
  it("sends literals our own decoder (and any other) reads back, long values included", () => {
    const headers: [string, string][] = [
      [":method", "GET"],
      [":scheme", "https"],
      [":authority", "127.0.0.1:6443"],
      [":path", "/api/v1/namespaces/default/pods/web-1/log?follow=true&timestamps=true"],
      ["authorization", `Bearer ${"t".repeat(3000)}`],
      ["user-agent", "stern/0.1.0"],
    ];
    const block = encodeHeaders(headers);
    expect(block[0]).toBe(0x82);
    expect(block[1]).toBe(0x87);
    expect(new HpackDecoder().decode(block)).toEqual(headers);
  });
});

/** An HPACK integer with an n-bit prefix (RFC 7541 5.1). */
function hpackInt(value: number, prefixBits: number, first: number): number[] {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) return [first | value];
  const out = [first | mask];
  let v = value - mask;
  for (; v >= 128; v = Math.floor(v / 128)) out.push((v % 128) + 128);
  out.push(v);
  return out;
}

/** Bytes shaped like header blocks, right or wrong: representations, strings, integers of any length. */
const blockish = (() => {
  const str = fc
    .tuple(fc.boolean(), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -2, max: 2 }))
    .map(([huffman, bytes, lie]) => [
      ...hpackInt(Math.max(0, bytes.length + lie), 7, huffman ? 0x80 : 0),
      ...bytes,
    ]);
  const part = fc.oneof(
    fc.integer({ min: 0, max: 120 }).map((i) => hpackInt(i, 7, 0x80)), // indexed (0 and past the table too)
    fc.tuple(str, str).map(([n, v]) => [0x40, ...n, ...v]), // into the table, new name
    fc.tuple(fc.integer({ min: 1, max: 100 }), str).map(([i, v]) => [...hpackInt(i, 6, 0x40), ...v]),
    fc.tuple(fc.constantFrom(0x00, 0x10), str, str).map(([f, n, v]) => [f, ...n, ...v]), // not indexed
    fc.integer({ min: 0, max: 5000 }).map((size) => hpackInt(size, 5, 0x20)), // table size update
    // An integer of any number of continuation octets.
    fc
      .tuple(
        fc.constantFrom(0x7f, 0xff, 0x3f),
        fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 9 }),
      )
      .map(([first, more]) => [first, ...more, 0x01]),
    fc.uint8Array({ maxLength: 6 }).map((b) => [...b]), // anything
  );
  return fc.array(part, { maxLength: 30 }).map((parts) => Buffer.from(parts.flat()));
})();

const listSize = (list: [string, string][]) => list.reduce((n, [k, v]) => n + k.length + v.length + 32, 0);
const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const headerList = fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,20}$/), latin1), { maxLength: 30 });

describe("HPACK decoder: properties", () => {
  it("any block: a list within the limit, or HpackError or HeaderListSizeError, never another exception", () => {
    fc.assert(
      fc.property(fc.array(blockish, { minLength: 1, maxLength: 4 }), fc.nat(3000), (blocks, maxList) => {
        // One decoder for several blocks: each starts from the table the ones before left.
        const d = new HpackDecoder(4096, maxList);
        for (const block of blocks) {
          try {
            expect(listSize(d.decode(block))).toBeLessThanOrEqual(maxList);
          } catch (err) {
            if (!(err instanceof HpackError || err instanceof HeaderListSizeError)) throw err;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("what the encoder sends decodes to the same list; over the limit it is refused, as RFC 7541 counts", () => {
    fc.assert(
      fc.property(headerList, fc.nat(4000), (list, maxList) => {
        const block = encodeHeaders(list);
        if (listSize(list) <= maxList) expect(new HpackDecoder(4096, maxList).decode(block)).toEqual(list);
        else expect(() => new HpackDecoder(4096, maxList).decode(block)).toThrow(HeaderListSizeError);
      }),
      { numRuns: 1000 },
    );
  });
});
