/**
 * MATLAB Level 5 MAT-file numeric arrays (the format DISFA's `Landmark_Points/.../*_lm.mat` files use; scipy's
 * `scipy.io.loadmat` reads them, which it does not for v7.3/HDF5 files). Layout (MathWorks, "MAT-File Format",
 * Level 5): a 128-byte header whose bytes 126-127 are the endian indicator 'IM' (little endian) or 'MI'; then data
 * elements, each an 8-byte tag (type, byte count; the "small element" form packs type and count into 4 bytes and
 * the data into the other 4) followed by the data padded to 8 bytes. miMATRIX (14) holds array flags, dimensions,
 * the name and the real part; miCOMPRESSED (15) holds one zlib-deflated element. MATLAB stores a double array with
 * the narrowest integer type that holds its values, so the real part may be any numeric type.
 * Only real, full numeric matrices are read (what landmark files hold); anything else is an error naming the file.
 */
import * as zlib from 'zlib';

/** One numeric array: values in column-major order (MATLAB's), and its dimensions. */
export interface MatArray {
  name: string;
  dims: number[];
  /** Column-major values: element (i, j) of a 2-D array is data[i + j * dims[0]]. */
  data: Float64Array;
}

const MI_INT8 = 1, MI_UINT8 = 2, MI_INT16 = 3, MI_UINT16 = 4, MI_INT32 = 5, MI_UINT32 = 6, MI_SINGLE = 7, MI_DOUBLE = 9;
const MI_INT64 = 12, MI_UINT64 = 13, MI_MATRIX = 14, MI_COMPRESSED = 15;
const MX_DOUBLE_CLASS = 6;
/** mxCLASS ids of the numeric classes (mxDOUBLE 6 .. mxUINT64 15). */
const NUMERIC_CLASSES = new Set([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

interface Element {
  type: number;
  data: Buffer;
  /** Offset just after the element (padded). */
  next: number;
}

function readElement(buf: Buffer, off: number, le: boolean, file: string): Element {
  if (off + 8 > buf.length) throw new Error(`${file}: MAT element header past the end of the file (offset ${off})`);
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const first = u32(off);
  if (first >>> 16 !== 0) {
    // small data element: [count:16 | type:16] then up to 4 bytes of data
    const type = first & 0xffff, n = first >>> 16;
    if (n > 4) throw new Error(`${file}: bad small MAT element (${n} bytes) at offset ${off}`);
    return { type, data: buf.subarray(off + 4, off + 4 + n), next: off + 8 };
  }
  const type = first, n = u32(off + 4);
  if (off + 8 + n > buf.length) throw new Error(`${file}: MAT element of ${n} bytes at offset ${off} runs past the end of the file`);
  const next = type === MI_COMPRESSED ? off + 8 + n : off + 8 + Math.ceil(n / 8) * 8;
  return { type, data: buf.subarray(off + 8, off + 8 + n), next };
}

function numbers(el: Element, le: boolean, file: string): Float64Array {
  const size = SIZES[el.type];
  if (!size) throw new Error(`${file}: MAT numeric data of unsupported type ${el.type}`);
  const n = el.data.length / size;
  const out = new Float64Array(n);
  const d = el.data;
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (el.type) {
      case MI_INT8: out[i] = d.readInt8(o); break;
      case MI_UINT8: out[i] = d.readUInt8(o); break;
      case MI_INT16: out[i] = le ? d.readInt16LE(o) : d.readInt16BE(o); break;
      case MI_UINT16: out[i] = le ? d.readUInt16LE(o) : d.readUInt16BE(o); break;
      case MI_INT32: out[i] = le ? d.readInt32LE(o) : d.readInt32BE(o); break;
      case MI_UINT32: out[i] = le ? d.readUInt32LE(o) : d.readUInt32BE(o); break;
      case MI_SINGLE: out[i] = le ? d.readFloatLE(o) : d.readFloatBE(o); break;
      case MI_DOUBLE: out[i] = le ? d.readDoubleLE(o) : d.readDoubleBE(o); break;
      case MI_INT64: out[i] = Number(le ? d.readBigInt64LE(o) : d.readBigInt64BE(o)); break;
      case MI_UINT64: out[i] = Number(le ? d.readBigUInt64LE(o) : d.readBigUInt64BE(o)); break;
    }
  }
  return out;
}

function readMatrix(data: Buffer, le: boolean, file: string): MatArray | null {
  const flags = readElement(data, 0, le, file);
  const cls = (le ? flags.data.readUInt32LE(0) : flags.data.readUInt32BE(0)) & 0xff;
  const complex = ((le ? flags.data.readUInt32LE(0) : flags.data.readUInt32BE(0)) >> 11) & 1;
  if (!NUMERIC_CLASSES.has(cls) || complex) return null; // cells, structs, chars, sparse, complex: not landmarks
  const dimsEl = readElement(data, flags.next, le, file);
  const dims = Array.from(numbers(dimsEl, le, file));
  const nameEl = readElement(data, dimsEl.next, le, file);
  const name = nameEl.data.toString('latin1');
  const real = readElement(data, nameEl.next, le, file);
  const values = numbers(real, le, file);
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`${file}: MAT array '${name}' has ${values.length} values for dimensions ${dims.join('x')}`);
  return { name, dims, data: values };
}

/** Every real numeric array of a Level 5 MAT file, by name. Errors name the file. */
export function parseMat(buf: Buffer, file = '<mat>'): Map<string, MatArray> {
  if (buf.length < 128) throw new Error(`${file}: not a MAT file (${buf.length} bytes, the header alone is 128)`);
  const head = buf.subarray(0, 116).toString('latin1');
  if (head.startsWith('MATLAB 7.3') || buf.subarray(512, 520).toString('latin1') === '\x89HDF\r\n\x1a\n') {
    throw new Error(`${file}: a MATLAB v7.3 (HDF5) MAT file; save it with -v7 or -v6`);
  }
  const endian = buf.subarray(126, 128).toString('latin1');
  if (endian !== 'IM' && endian !== 'MI') throw new Error(`${file}: not a Level 5 MAT file (endian indicator '${endian}')`);
  const le = endian === 'IM';
  const out = new Map<string, MatArray>();
  let off = 128;
  while (off + 8 <= buf.length) {
    const el = readElement(buf, off, le, file);
    off = el.next;
    let body: Buffer | null = null;
    if (el.type === MI_COMPRESSED) {
      let raw: Buffer;
      try {
        raw = zlib.inflateSync(el.data);
      } catch (err) {
        throw new Error(`${file}: corrupt compressed MAT element (${(err as Error).message})`);
      }
      const inner = readElement(raw, 0, le, file);
      if (inner.type === MI_MATRIX) body = inner.data;
    } else if (el.type === MI_MATRIX) body = el.data;
    if (!body || body.length === 0) continue;
    const m = readMatrix(body, le, file);
    if (m) out.set(m.name, m);
  }
  return out;
}

function tag(type: number, n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(n, 4);
  return b;
}

function padded(b: Buffer): Buffer {
  const pad = (8 - (b.length % 8)) % 8;
  return pad ? Buffer.concat([b, Buffer.alloc(pad)]) : b;
}

/**
 * A little-endian, uncompressed Level 5 MAT file holding one double matrix `name` (rows x cols, values given
 * row by row as `rows[i][j]`), as MATLAB's `save -v6` writes it.
 */
export function encodeMatDouble(name: string, rows: number[][]): Buffer {
  const r = rows.length, c = r ? rows[0].length : 0;
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by fer-au', 0, 'latin1');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const flags = Buffer.concat([tag(MI_UINT32, 8), Buffer.from([MX_DOUBLE_CLASS, 0, 0, 0, 0, 0, 0, 0])]);
  const dims = Buffer.alloc(8);
  dims.writeInt32LE(r, 0);
  dims.writeInt32LE(c, 4);
  const nameBytes = Buffer.from(name, 'latin1');
  const values = Buffer.alloc(8 * r * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) values.writeDoubleLE(rows[i][j], 8 * (i + j * r));
  const body = Buffer.concat([
    flags,
    tag(MI_INT32, 8), dims,
    tag(MI_INT8, nameBytes.length), padded(nameBytes),
    tag(MI_DOUBLE, values.length), values,
  ]);
  return Buffer.concat([header, tag(MI_MATRIX, body.length), body]);
}
