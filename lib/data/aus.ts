/**
 * Facial Action Unit constants: the 12 AUs DISFA labels, the 8 the paper studies, the presence threshold and
 * the paper's occurrence counts (Arsirii & Petrosiuk 2023, Table 1), with FACS names and appearance changes
 * (Ekman, Friesen & Hager, FACS Manual 2002) for labels, legends and the synthetic generator.
 */

/** The 12 AUs labelled in DISFA (Mavadati et al. 2013), in DISFA's order. */
export const DISFA_AUS = Object.freeze([
  'AU01', 'AU02', 'AU04', 'AU05', 'AU06', 'AU09', 'AU12', 'AU15', 'AU17', 'AU20', 'AU25', 'AU26',
] as const);

export type DisfaAu = (typeof DISFA_AUS)[number];

/** The 8 AUs studied in the paper (and in the JAA-Net / ME-GraphAU DISFA protocol). */
export const PAPER_AUS = Object.freeze(['AU01', 'AU02', 'AU04', 'AU06', 'AU09', 'AU12', 'AU25', 'AU26'] as const);

export type PaperAu = (typeof PAPER_AUS)[number];

/** An AU is present in a frame when its DISFA intensity (0-5) is at least this (FACS level B). */
export const PRESENCE_THRESHOLD = 2;

/** Number of DISFA frames (27 subjects x 4845, SN010 4844): the denominator of Table 1. */
export const DISFA_TOTAL_FRAMES = 130814;

/** DISFA frames per subject (SN010 has one fewer). */
export const DISFA_FRAMES_PER_SUBJECT = 4845;

/** Frames in which each studied AU is present (intensity >= 2), of 130,814: Table 1 of the paper. */
export const TABLE1_COUNTS: Readonly<Record<PaperAu, number>> = Object.freeze({
  AU01: 6506,
  AU02: 5644,
  AU04: 19933,
  AU06: 10327,
  AU09: 5473,
  AU12: 16851,
  AU25: 36247,
  AU26: 11533,
});

/** FACS name, muscular basis and the appearance change that the synthetic renderer draws. */
export interface AuInfo {
  name: DisfaAu;
  number: number;
  facsName: string;
  muscles: string;
  appearance: string;
}

/** FACS descriptions of the 12 DISFA AUs. */
export const AU_INFO: Readonly<Record<DisfaAu, AuInfo>> = Object.freeze({
  AU01: { name: 'AU01', number: 1, facsName: 'Inner Brow Raiser', muscles: 'frontalis, pars medialis',
    appearance: 'inner ends of the brows pulled up, oblique brows, horizontal wrinkles in the central forehead' },
  AU02: { name: 'AU02', number: 2, facsName: 'Outer Brow Raiser', muscles: 'frontalis, pars lateralis',
    appearance: 'outer parts of the brows pulled up into an arch, wrinkles in the lateral forehead' },
  AU04: { name: 'AU04', number: 4, facsName: 'Brow Lowerer', muscles: 'corrugator supercilii, depressor supercilii, procerus',
    appearance: 'brows lowered and drawn together, vertical furrows between the brows' },
  AU05: { name: 'AU05', number: 5, facsName: 'Upper Lid Raiser', muscles: 'levator palpebrae superioris',
    appearance: 'upper lids raised, eye widened, sclera visible above the iris' },
  AU06: { name: 'AU06', number: 6, facsName: 'Cheek Raiser', muscles: 'orbicularis oculi, pars orbitalis',
    appearance: 'cheeks raised, lower lids pushed up so the eyes narrow, crow\'s feet at the outer eye corners' },
  AU09: { name: 'AU09', number: 9, facsName: 'Nose Wrinkler', muscles: 'levator labii superioris alaeque nasi',
    appearance: 'wrinkles across the nose root, nostril wings raised, upper lip raised, brows pulled down slightly' },
  AU12: { name: 'AU12', number: 12, facsName: 'Lip Corner Puller', muscles: 'zygomaticus major',
    appearance: 'lip corners pulled up and back, deepened nasolabial furrows' },
  AU15: { name: 'AU15', number: 15, facsName: 'Lip Corner Depressor', muscles: 'depressor anguli oris',
    appearance: 'lip corners pulled down, lower lip stretched, bulges below the corners' },
  AU17: { name: 'AU17', number: 17, facsName: 'Chin Raiser', muscles: 'mentalis',
    appearance: 'chin boss pushed up with dimpling, lower lip pushed up, mouth curved down' },
  AU20: { name: 'AU20', number: 20, facsName: 'Lip Stretcher', muscles: 'risorius, platysma',
    appearance: 'lips stretched sideways and flattened, mouth widened' },
  AU25: { name: 'AU25', number: 25, facsName: 'Lips Part', muscles: 'depressor labii inferioris, relaxed mentalis',
    appearance: 'lips parted, teeth or mouth interior visible' },
  AU26: { name: 'AU26', number: 26, facsName: 'Jaw Drop', muscles: 'masseter relaxed, temporalis, internal pterygoid relaxed',
    appearance: 'jaw lowered, chin moved down, mouth opening taller' },
});

/** 'AU01' from 1 (throws for numbers DISFA does not label). */
export function auName(n: number): DisfaAu {
  const name = `AU${String(n).padStart(2, '0')}`;
  if (!(DISFA_AUS as readonly string[]).includes(name)) {
    throw new Error(`auName: AU ${n} is not one of DISFA's AUs (${DISFA_AUS.map((a) => Number(a.slice(2))).join(', ')})`);
  }
  return name as DisfaAu;
}

/** 1 from 'AU01' (also accepts 'AU1'); throws on other strings. */
export function auNumber(name: string): number {
  const m = /^AU(\d{1,2})$/.exec(name);
  if (!m) throw new Error(`auNumber: '${name}' is not an AU name like 'AU01'`);
  return Number(m[1]);
}

/** Presence rate of each studied AU in DISFA: TABLE1_COUNTS / 130,814. */
export function table1Rates(): Record<PaperAu, number> {
  const out = {} as Record<PaperAu, number>;
  for (const au of PAPER_AUS) out[au] = TABLE1_COUNTS[au] / DISFA_TOTAL_FRAMES;
  return out;
}
