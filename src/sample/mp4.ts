/**
 * A small, real MP4 built by hand: an ISO-BMFF container (ftyp, moov/mvhd with creation time and
 * duration, one 'vide' trak down to stbl, mdat) around an H.264 Baseline stream whose frames are
 * all I_PCM macroblocks. I_PCM carries raw YCbCr samples, so a valid, decodable stream needs no
 * encoder: only exp-Golomb headers and the samples. Frames pan across a painted scene.
 */
import { paint } from './pixels.js';

export interface Mp4Options {
  /** Multiples of 16 (whole macroblocks, no cropping). */
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** Written to mvhd/tkhd/mdhd (QuickTime dates are UTC by the spec). */
  createdAt: Date;
  seed: number;
}

const QT_EPOCH_OFFSET = 2082844800; // seconds from 1904-01-01 to 1970-01-01
const TIMESCALE = 1000;

export function buildMp4(o: Mp4Options): Buffer {
  if (o.width % 16 || o.height % 16) throw new RangeError('MP4 width and height must be multiples of 16');
  const frames = Math.max(1, Math.round(o.fps * o.seconds));
  const shift = 2;
  const sceneW = o.width + shift * frames;
  const scene = paint(o.seed, sceneW, o.height);
  const samples: Buffer[] = [];
  for (let f = 0; f < frames; f++) {
    const nal = idrSlice(scene, sceneW, f * shift, o.width, o.height, f % 2);
    samples.push(Buffer.concat([u32(nal.length), nal]));
  }
  const sps = nalUnit(0x67, spsRbsp(o.width / 16, o.height / 16));
  const pps = nalUnit(0x68, ppsRbsp());
  const durationMs = Math.round((frames / o.fps) * TIMESCALE);
  const qtTime = Math.floor(o.createdAt.getTime() / 1000) + QT_EPOCH_OFFSET;

  const ftyp = box('ftyp', Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
  const moovWith = (chunkOffset: number) =>
    box(
      'moov',
      mvhd(qtTime, durationMs),
      box(
        'trak',
        tkhd(qtTime, durationMs, o.width, o.height),
        box(
          'mdia',
          mdhd(qtTime, durationMs),
          hdlr(),
          box(
            'minf',
            fullBox('vmhd', 0, 1, Buffer.alloc(8)),
            box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
            box(
              'stbl',
              fullBox('stsd', 0, 0, u32(1), avc1(o.width, o.height, sps, pps)),
              fullBox('stts', 0, 0, u32(1), u32(frames), u32(Math.round(TIMESCALE / o.fps))),
              fullBox('stsc', 0, 0, u32(1), u32(1), u32(frames), u32(1)),
              fullBox('stsz', 0, 0, u32(0), u32(frames), ...samples.map((s) => u32(s.length))),
              fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
            ),
          ),
        ),
      ),
    );
  const moovSize = moovWith(0).length;
  const moov = moovWith(ftyp.length + moovSize + 8);
  return Buffer.concat([ftyp, moov, box('mdat', ...samples)]);
}

// ---- ISO-BMFF boxes ----

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, u32(((version & 0xff) << 24) | (flags & 0xffffff)), ...payload);
}

const MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function mvhd(t: number, duration: number): Buffer {
  return fullBox(
    'mvhd', 0, 0,
    u32(t), u32(t), u32(TIMESCALE), u32(duration),
    u32(0x10000), u16(0x100), Buffer.alloc(10),
    ...MATRIX.map(u32), Buffer.alloc(24), u32(2),
  );
}

function tkhd(t: number, duration: number, w: number, h: number): Buffer {
  return fullBox(
    'tkhd', 0, 3, // enabled, in movie
    u32(t), u32(t), u32(1), u32(0), u32(duration), Buffer.alloc(8),
    u16(0), u16(0), u16(0), u16(0), ...MATRIX.map(u32), u32(w << 16), u32(h << 16),
  );
}

function mdhd(t: number, duration: number): Buffer {
  return fullBox('mdhd', 0, 0, u32(t), u32(t), u32(TIMESCALE), u32(duration), u16(0x55c4 /* 'und' */), u16(0));
}

function hdlr(): Buffer {
  return fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('VideoHandler\0'));
}

function avc1(w: number, h: number, sps: Buffer, pps: Buffer): Buffer {
  const name = Buffer.alloc(32);
  name.write('\x0bshoebox PCM', 'latin1');
  const avcC = box(
    'avcC',
    Buffer.from([1, sps[1]!, sps[2]!, sps[3]!, 0xff /* 4-byte lengths */, 0xe1 /* 1 SPS */]),
    u16(sps.length), sps, Buffer.from([1]), u16(pps.length), pps,
  );
  return box(
    'avc1',
    Buffer.alloc(6), u16(1), Buffer.alloc(16), u16(w), u16(h),
    u32(0x480000), u32(0x480000), u32(0), u16(1), name, u16(0x18), u16(0xffff), avcC,
  );
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
}

// ---- H.264 Baseline, I_PCM only ----

class BitWriter {
  readonly bytes: number[] = [];
  #cur = 0;
  #n = 0;
  bit(b: number): void {
    this.#cur = (this.#cur << 1) | (b & 1);
    if (++this.#n === 8) {
      this.bytes.push(this.#cur);
      this.#cur = 0;
      this.#n = 0;
    }
  }
  u(v: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) this.bit((v >>> i) & 1);
  }
  ue(v: number): void {
    const x = v + 1;
    const len = 32 - Math.clz32(x);
    this.u(0, len - 1);
    this.u(x, len);
  }
  se(v: number): void {
    this.ue(v <= 0 ? -2 * v : 2 * v - 1);
  }
  get aligned(): boolean {
    return this.#n === 0;
  }
  trailing(): void {
    this.bit(1);
    while (!this.aligned) this.bit(0);
  }
}

function spsRbsp(wMbs: number, hMbs: number): number[] {
  const w = new BitWriter();
  w.u(66, 8); // profile_idc: Baseline
  w.u(0xc0, 8); // constraint_set0/1
  w.u(30, 8); // level 3.0
  w.ue(0); // seq_parameter_set_id
  w.ue(0); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type: output order = decoding order
  w.ue(1); // max_num_ref_frames
  w.u(0, 1); // gaps_in_frame_num_value_allowed_flag
  w.ue(wMbs - 1);
  w.ue(hMbs - 1);
  w.u(1, 1); // frame_mbs_only_flag
  w.u(1, 1); // direct_8x8_inference_flag
  w.u(0, 1); // frame_cropping_flag
  w.u(0, 1); // vui_parameters_present_flag
  w.trailing();
  return w.bytes;
}

function ppsRbsp(): number[] {
  const w = new BitWriter();
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.u(0, 1); // entropy_coding_mode_flag: CAVLC
  w.u(0, 1); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.u(0, 1); // weighted_pred_flag
  w.u(0, 2); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.u(1, 1); // deblocking_filter_control_present_flag
  w.u(0, 1); // constrained_intra_pred_flag
  w.u(0, 1); // redundant_pic_cnt_present_flag
  w.trailing();
  return w.bytes;
}

/** One IDR picture: a slice header, then every macroblock as I_PCM (raw 4:2:0 samples). */
function idrSlice(scene: Buffer, sceneW: number, x0: number, width: number, height: number, idrId: number): Buffer {
  const w = new BitWriter();
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I, and every slice of the picture is I
  w.ue(0); // pic_parameter_set_id
  w.u(0, 4); // frame_num
  w.ue(idrId); // idr_pic_id: consecutive IDR pictures must differ
  w.u(0, 1); // no_output_of_prior_pics_flag
  w.u(0, 1); // long_term_reference_flag
  w.se(0); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc: PCM needs no deblocking
  const ycc = (x: number, y: number) => {
    const o = (y * sceneW + x0 + x) * 4;
    const r = scene[o]!, g = scene[o + 1]!, b = scene[o + 2]!;
    return [16 + 0.257 * r + 0.504 * g + 0.098 * b, 128 - 0.148 * r - 0.291 * g + 0.439 * b, 128 + 0.439 * r - 0.368 * g - 0.071 * b];
  };
  // PCM samples are kept in 1..254 so that no start-code pattern can appear inside them.
  const sample = (v: number) => Math.min(254, Math.max(1, Math.round(v)));
  for (let my = 0; my < height / 16; my++) {
    for (let mx = 0; mx < width / 16; mx++) {
      w.ue(25); // mb_type: I_PCM
      while (!w.aligned) w.bit(0); // pcm_alignment_zero_bit
      for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) w.u(sample(ycc(mx * 16 + x, my * 16 + y)[0]!), 8);
      for (const c of [1, 2]) {
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            let sum = 0;
            for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) sum += ycc(mx * 16 + 2 * x + dx, my * 16 + 2 * y + dy)[c]!;
            w.u(sample(sum / 4), 8);
          }
        }
      }
    }
  }
  w.trailing();
  return nalUnit(0x65, w.bytes);
}

/** NAL header byte plus the payload with emulation-prevention bytes (00 00 0x → 00 00 03 0x). */
function nalUnit(header: number, rbsp: number[]): Buffer {
  const out = [header];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}
