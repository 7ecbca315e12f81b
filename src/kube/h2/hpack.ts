// HPACK (RFC 7541), as much as a client needs: a full decoder for the server's header blocks (its
// dynamic table, Huffman strings) and an encoder that sends literals only (no state to keep in step).
import { HUFFMAN_CODES, HUFFMAN_LENGTHS, STATIC_TABLE } from "./hpack-tables.ts";

export class HpackError extends Error {}

/** A header list larger than allowed: decoded whole all the same, so that the table stays in step. */
export class HeaderListSizeError extends Error {}

export type HeaderList = [name: string, value: string][];

/** The Huffman code as a binary tree: node n's children at 2n and 2n+1; a leaf holds its octet + 1. */
let tree: Int32Array | undefined;
let leaves: Int16Array | undefined;

function huffmanTree(): { tree: Int32Array; leaves: Int16Array } {
  if (tree && leaves) return { tree, leaves };
  const t = new Int32Array(2 * 520);
  const l = new Int16Array(520);
  let nodes = 1;
  for (let sym = 0; sym < 256; sym++) {
    const code = HUFFMAN_CODES[sym] as number;
    const len = HUFFMAN_LENGTHS[sym] as number;
    let n = 0;
    for (let bit = len - 1; bit >= 0; bit--) {
      const slot = 2 * n + ((code >>> bit) & 1);
      if (t[slot] === 0) t[slot] = nodes++;
      n = t[slot] as number;
    }
    l[n] = sym + 1;
  }
  tree = t;
  leaves = l;
  return { tree: t, leaves: l };
}

/** Decodes a Huffman-coded string; padding must be the EOS code's leading ones, under 8 bits. */
export function huffmanDecode(buf: Uint8Array, start: number, end: number): string {
  const { tree: t, leaves: l } = huffmanTree();
  const out: number[] = [];
  let n = 0;
  let depth = 0;
  let ones = true;
  for (let i = start; i < end; i++) {
    const byte = buf[i] as number;
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >>> bit) & 1;
      n = t[2 * n + b] as number;
      if (n === 0) throw new HpackError("invalid Huffman code (EOS or unassigned)");
      depth++;
      ones &&= b === 1;
      const sym = l[n] as number;
      if (sym !== 0) {
        out.push(sym - 1);
        n = 0;
        depth = 0;
        ones = true;
      }
    }
  }
  if (depth > 7 || !ones) throw new HpackError("invalid Huffman padding");
  return Buffer.from(out).toString("latin1");
}

const ENTRY_OVERHEAD = 32;

const bytes = (n: number): string => (n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);
/** The largest integer accepted (RFC 7541 5.1 leaves the bound to the decoder): lengths, indexes, sizes. */
const MAX_INT = 2 ** 31 - 1;

export class HpackDecoder {
  /** Newest first. */
  private readonly table: [string, string][] = [];
  private size = 0;
  private max: number;
  /** What our SETTINGS_HEADER_TABLE_SIZE allows (the default, 4,096). */
  private readonly limit: number;
  /** What our SETTINGS_MAX_HEADER_LIST_SIZE allows: name + value + 32 per field, as RFC 7541 counts. */
  private readonly maxListSize: number;

  constructor(limit = 4096, maxListSize = Number.POSITIVE_INFINITY) {
    this.limit = limit;
    this.max = limit;
    this.maxListSize = maxListSize;
  }

  /**
   * Decodes one complete header block (HEADERS and its CONTINUATIONs joined). Throws HpackError when
   * the block is malformed (the table is then out of step: the connection must end), and
   * HeaderListSizeError, after decoding it whole, when its list is over the limit.
   */
  decode(block: Buffer): HeaderList {
    const out: HeaderList = [];
    // Fields past the limit are decoded (the table must follow) but not kept: memory stays bounded.
    let listSize = 0;
    let p = 0;
    const keep = (name: string, value: string): void => {
      if (listSize > this.maxListSize) return;
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize <= this.maxListSize) out.push([name, value]);
    };
    const int = (prefixBits: number): number => {
      const mask = (1 << prefixBits) - 1;
      if (p >= block.length) throw new HpackError("truncated header block");
      let v = (block[p++] as number) & mask;
      if (v < mask) return v;
      // At most 5 continuation octets (35 bits): more could only be zeros or an overflow.
      for (let shift = 0; shift <= 28; shift += 7) {
        if (p >= block.length) throw new HpackError("truncated integer");
        const b = block[p++] as number;
        v += (b & 127) * 2 ** shift;
        if ((b & 128) === 0) {
          if (v > MAX_INT) break;
          return v;
        }
      }
      throw new HpackError("integer too large");
    };
    const str = (): string => {
      if (p >= block.length) throw new HpackError("truncated string");
      const huffman = ((block[p] as number) & 128) !== 0;
      const len = int(7);
      if (p + len > block.length) throw new HpackError("truncated string");
      const s = huffman ? huffmanDecode(block, p, p + len) : block.toString("latin1", p, p + len);
      p += len;
      return s;
    };
    let sizeUpdateAllowed = true;
    while (p < block.length) {
      const b = block[p] as number;
      if (b & 128) {
        const [name, value] = this.entry(int(7));
        keep(name, value);
        sizeUpdateAllowed = false;
      } else if (b & 64) {
        const index = int(6);
        const name = index === 0 ? str() : (this.entry(index)[0] as string);
        const value = str();
        this.add(name, value);
        keep(name, value);
        sizeUpdateAllowed = false;
      } else if (b & 32) {
        if (!sizeUpdateAllowed) throw new HpackError("table size update after a header field");
        const size = int(5);
        if (size > this.limit) throw new HpackError("table size update beyond the limit");
        this.max = size;
        this.evict(0);
      } else {
        // Literal without indexing (0000) or never indexed (0001).
        const index = int(4);
        const name = index === 0 ? str() : (this.entry(index)[0] as string);
        keep(name, str());
        sizeUpdateAllowed = false;
      }
    }
    if (listSize > this.maxListSize)
      throw new HeaderListSizeError(`over the ${bytes(this.maxListSize)} allowed`);
    return out;
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError("index 0");
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1] as readonly [string, string];
    const e = this.table[index - STATIC_TABLE.length - 1];
    if (!e) throw new HpackError(`index ${index} beyond the table`);
    return e;
  }

  private add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.evict(size);
    if (size > this.max) return; // clears the table, adds nothing (RFC 7541 4.4)
    this.table.unshift([name, value]);
    this.size += size;
  }

  private evict(room: number): void {
    while (this.table.length > 0 && this.size + room > this.max) {
      const [n, v] = this.table.pop() as [string, string];
      this.size -= n.length + v.length + ENTRY_OVERHEAD;
    }
  }
}

function putInt(out: number[], value: number, prefixBits: number, first: number): void {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    out.push(first | value);
    return;
  }
  out.push(first | mask);
  let v = value - mask;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function putString(out: number[], s: string): void {
  const bytes = Buffer.from(s, "latin1");
  putInt(out, bytes.length, 7, 0);
  for (const b of bytes) out.push(b);
}

/** A header block of literals never added to the server's table (names lowercase, as HTTP/2 wants). */
export function encodeHeaders(headers: HeaderList): Buffer {
  const out: number[] = [];
  for (const [name, value] of headers) {
    if (name === ":method" && value === "GET") out.push(0x82);
    else if (name === ":scheme" && value === "https") out.push(0x87);
    else {
      out.push(0);
      putString(out, name);
      putString(out, value);
    }
  }
  return Buffer.from(out);
}
