/**
 * Camera maker notes the native JPEG reader can pass over: those whose ExifTool table (and every
 * table under the entries the note holds) can give no tag of the default list, nor one a listed
 * composite is built from.
 *
 * ExifTool picks a maker note's table as the first entry of MakerNotes.pm's list whose condition
 * holds, on the note's bytes ($$valPt), and the Make and Model it has read so far. All 94
 * conditions are transcribed below, in order, with the perl they come from; the reader follows a
 * note only when the first that holds is one of KINDS. Then it reads the note's directory where
 * ExifTool would (its Start or OffsetPt, its byte order) and defers on any entry whose tag could
 * lead to a listed tag: a listed name, or a sub-directory read by code that names tags as it goes
 * (ICC profiles, Nikon Capture data, ...) or whose tables name one. Notes ExifTool keeps whole
 * (unknown text or binary) and those no condition takes (MakerNoteUnknown: phones of makers
 * ExifTool has no table for) are harmless whatever they hold.
 *
 * test/maker-notes.test.ts holds all of it against the ExifTool installed: the conditions' perl
 * text and their answers on probes, each kind's SubDirectory, and each table's unsafe tags.
 */

/** One of MakerNotes.pm's conditions: `s` is the note as latin1, `make`/`model` as ExifTool holds them. */
export interface Condition {
  name: string;
  /** The condition's perl, whitespace collapsed (the test compares it with the installed one). */
  perl: string;
  holds: (s: string, make: string, model: string) => boolean;
}

const KODAK = /^EASTMAN KODAK/;
const kodak = (make: string) => /Kodak/i.test(make);
const leicaAG = (make: string) => /^Leica Camera AG/.test(make);
const RICOH_TIFF = /^(MM\0\x2a\0\0\0\x08\0.\0\0|II\x2a\0\x08\0\0\0.\0\0\0)/s;

// Perl's `.` without /s is any byte but \n; JavaScript's also refuses \r: spelled [^\n] here.
export const CONDITIONS: Condition[] = [
  { name: 'MakerNoteApple', perl: '$$valPt =~ /^Apple iOS\\0/', holds: (s) => /^Apple iOS\0/.test(s) },
  { name: 'MakerNoteNikon', perl: '$$valPt=~/^Nikon\\x00\\x02/', holds: (s) => /^Nikon\x00\x02/.test(s) },
  { name: 'MakerNoteCanon', perl: '$$self{Make} =~ /^Canon/', holds: (_s, make) => /^Canon/.test(make) },
  { name: 'MakerNoteCasio', perl: '$$self{Make}=~/^CASIO/ and $$valPt!~/^(QVC|DCI)\\0/', holds: (s, make) => /^CASIO/.test(make) && !/^(QVC|DCI)\0/.test(s) },
  { name: 'MakerNoteCasio2', perl: '$$valPt =~ /^(QVC|DCI)\\0/', holds: (s) => /^(QVC|DCI)\0/.test(s) },
  { name: 'MakerNoteDJIInfo', perl: '$$valPt =~ /^\\[ae_dbg_info:/', holds: (s) => /^\[ae_dbg_info:/.test(s) },
  { name: 'MakerNoteDJI', perl: '$$self{Make} eq "DJI" and $$valPt !~ /^(...\\@AMBA|DJI)/s', holds: (s, make) => make === 'DJI' && !/^(...@AMBA|DJI)/s.test(s) },
  { name: 'MakerNoteFLIR', perl: '$$self{Make} =~ /^(FLIR Systems|Teledyne FLIR)/', holds: (_s, make) => /^(FLIR Systems|Teledyne FLIR)/.test(make) },
  { name: 'MakerNoteFujiFilm', perl: '$$valPt =~ /^(FUJIFILM|GENERALE)/', holds: (s) => /^(FUJIFILM|GENERALE)/.test(s) },
  { name: 'MakerNoteGE', perl: '$$valPt =~ /^GE(\\0\\0|NIC\\0)/', holds: (s) => /^GE(\0\0|NIC\0)/.test(s) },
  { name: 'MakerNoteGE2', perl: '$$valPt =~ /^GE\\x0c\\0\\0\\0\\x16\\0\\0\\0/', holds: (s) => /^GE\x0c\0\0\0\x16\0\0\0/.test(s) },
  { name: 'MakerNoteGoogle', perl: '$$valPt =~ /^HDRP[\\x02\\x03]/', holds: (s) => /^HDRP[\x02\x03]/.test(s) },
  { name: 'MakerNoteHasselblad', perl: '$$self{Make} eq "Hasselblad"', holds: (_s, make) => make === 'Hasselblad' },
  { name: 'MakerNoteHP', perl: '$$valPt =~ /^(Hewlett-Packard|Vivitar)/', holds: (s) => /^(Hewlett-Packard|Vivitar)/.test(s) },
  { name: 'MakerNoteHP2', perl: '$$valPt =~ /^610[\\0-\\4]/', holds: (s) => /^610[\0-\x04]/.test(s) },
  { name: 'MakerNoteHP4', perl: '$$valPt =~ /^IIII[\\x04|\\x05]\\0/', holds: (s) => /^IIII[\x04|\x05]\0/.test(s) },
  { name: 'MakerNoteHP6', perl: '$$valPt =~ /^IIII\\x06\\0/', holds: (s) => /^IIII\x06\0/.test(s) },
  { name: 'MakerNoteISL', perl: '$$valPt =~ /^ISLMAKERNOTE000\\0/', holds: (s) => /^ISLMAKERNOTE000\0/.test(s) },
  { name: 'MakerNoteJVC', perl: '$$valPt=~/^JVC /', holds: (s) => /^JVC /.test(s) },
  { name: 'MakerNoteJVCText', perl: '$$self{Make}=~/^(JVC|Victor)/ and $$valPt=~/^VER:/', holds: (s, make) => /^(JVC|Victor)/.test(make) && /^VER:/.test(s) },
  { name: 'MakerNoteKodak1a', perl: '$$self{Make}=~/^EASTMAN KODAK/ and $$valPt=~/^KDK INFO/', holds: (s, make) => KODAK.test(make) && /^KDK INFO/.test(s) },
  { name: 'MakerNoteKodak1b', perl: '$$self{Make}=~/^EASTMAN KODAK/ and $$valPt=~/^KDK/', holds: (s, make) => KODAK.test(make) && /^KDK/.test(s) },
  {
    name: 'MakerNoteKodak2',
    perl: '$$valPt =~ /^.{8}Eastman Kodak/s or $$valPt =~ /^\\x01\\0[\\0\\x01]\\0\\0\\0\\x04\\0[a-zA-Z]{4}/',
    holds: (s) => /^.{8}Eastman Kodak/s.test(s) || /^\x01\0[\0\x01]\0\0\0\x04\0[a-zA-Z]{4}/.test(s),
  },
  {
    name: 'MakerNoteKodak3',
    perl: '$$self{Make} =~ /^EASTMAN KODAK/ and $$valPt =~ /^(?!MM|II).{12}\\x07/s and $$valPt !~ /^(MM|II|AOC)/',
    holds: (s, make) => KODAK.test(make) && /^(?!MM|II).{12}\x07/s.test(s) && !/^(MM|II|AOC)/.test(s),
  },
  {
    name: 'MakerNoteKodak4',
    perl: '$$self{Make} =~ /^Eastman Kodak/ and $$valPt =~ /^.{41}JPG/s and $$valPt !~ /^(MM|II|AOC)/',
    holds: (s, make) => /^Eastman Kodak/.test(make) && /^.{41}JPG/s.test(s) && !/^(MM|II|AOC)/.test(s),
  },
  {
    name: 'MakerNoteKodak5',
    perl: "$$self{Make}=~/^EASTMAN KODAK/ and ($$self{Model}=~/CX(4200|4230|4300|4310|6200|6230)/ or # try to pick up similar models we haven't tested yet $$valPt=~/^\\0(\\x1a\\x18|\\x3a\\x08|\\x59\\xf8|\\x14\\x80)\\0/)",
    holds: (s, make, model) => KODAK.test(make) && (/CX(4200|4230|4300|4310|6200|6230)/.test(model) || /^\0(\x1a\x18|\x3a\x08|\x59\xf8|\x14\x80)\0/.test(s)),
  },
  { name: 'MakerNoteKodak6a', perl: '$$self{Make}=~/^EASTMAN KODAK/ and $$self{Model}=~/DX3215/', holds: (_s, make, model) => KODAK.test(make) && /DX3215/.test(model) },
  { name: 'MakerNoteKodak6b', perl: '$$self{Make}=~/^EASTMAN KODAK/ and $$self{Model}=~/DX3700/', holds: (_s, make, model) => KODAK.test(make) && /DX3700/.test(model) },
  {
    name: 'MakerNoteKodak7',
    perl: '$$self{Make}=~/Kodak/i and $$valPt =~ /^[CK][A-Z\\d]{3} ?[A-Z\\d]{1,2}\\d{2}[A-Z\\d]\\d{4}[ \\0]/',
    holds: (s, make) => kodak(make) && /^[CK][A-Z\d]{3} ?[A-Z\d]{1,2}\d{2}[A-Z\d]\d{4}[ \0]/.test(s),
  },
  {
    name: 'MakerNoteKodak8a',
    perl: '$$self{Make}=~/Kodak/i and ($$valPt =~ /^\\0[\\x02-\\x7f]..\\0[\\x01-\\x0c]\\0\\0/s or $$valPt =~ /^[\\x02-\\x7f]\\0..[\\x01-\\x0c]\\0..\\0\\0/s)',
    holds: (s, make) => kodak(make) && (/^\0[\x02-\x7f]..\0[\x01-\x0c]\0\0/s.test(s) || /^[\x02-\x7f]\0..[\x01-\x0c]\0..\0\0/s.test(s)),
  },
  { name: 'MakerNoteKodak8b', perl: '$$self{Make}=~/Kodak/i and $$valPt =~ /^MM\\0\\x2a\\0\\0\\0\\x08\\0.\\0\\0/', holds: (s, make) => kodak(make) && /^MM\0\x2a\0\0\0\x08\0[^\n]\0\0/.test(s) },
  {
    name: 'MakerNoteKodak8c',
    perl: '$$self{Make}=~/Kodak/i and $$valPt =~ /^(MM\\0\\x2a\\0\\0\\0\\x08|II\\x2a\\0\\x08\\0\\0\\0)/',
    holds: (s, make) => kodak(make) && /^(MM\0\x2a\0\0\0\x08|II\x2a\0\x08\0\0\0)/.test(s),
  },
  { name: 'MakerNoteKodak9', perl: '$$valPt =~ m{^IIII[\\x02\\x03]\\0.{14}\\d{4}/\\d{2}/\\d{2} }s', holds: (s) => /^IIII[\x02\x03]\0.{14}\d{4}\/\d{2}\/\d{2} /s.test(s) },
  { name: 'MakerNoteKodak10', perl: '$$self{Make}=~/Kodak/i and $$valPt =~ /^(MM\\0[\\x02-\\x7f]|II[\\x02-\\x7f]\\0)/', holds: (s, make) => kodak(make) && /^(MM\0[\x02-\x7f]|II[\x02-\x7f]\0)/.test(s) },
  {
    name: 'MakerNoteKodak11',
    perl: '$$self{Model}=~/(Kodak|PixPro)/i and $$valPt =~ /^II\\x2a\\0\\x08\\0\\0\\0.\\0\\0\\0/s',
    holds: (s, _make, model) => /(Kodak|PixPro)/i.test(model) && /^II\x2a\0\x08\0\0\0.\0\0\0/s.test(s),
  },
  {
    name: 'MakerNoteKodak12',
    perl: '$$self{Model}=~/(Kodak|PixPro)/i and $$valPt =~ /^MM\\0\\x2a\\0\\0\\0\\x08\\0\\0\\0./s',
    holds: (s, _make, model) => /(Kodak|PixPro)/i.test(model) && /^MM\0\x2a\0\0\0\x08\0\0\0./s.test(s),
  },
  { name: 'MakerNoteKodakUnknown', perl: '$$self{Make}=~/Kodak/i and $$valPt!~/^AOC\\0/', holds: (s, make) => kodak(make) && !/^AOC\0/.test(s) },
  { name: 'MakerNoteKyocera', perl: '$$valPt =~ /^KYOCERA/', holds: (s) => /^KYOCERA/.test(s) },
  {
    name: 'MakerNoteMinolta',
    perl: '$$self{Make}=~/^(Konica Minolta|Minolta)/i and $$valPt !~ /^(MINOL|CAMER|MLY0|KC|\\+M\\+M|\\xd7)/',
    holds: (s, make) => /^(Konica Minolta|Minolta)/i.test(make) && !/^(MINOL|CAMER|MLY0|KC|\+M\+M|\xd7)/.test(s),
  },
  { name: 'MakerNoteMinolta2', perl: '$$valPt =~ /^(MINOL|CAMER)\\0/ and $$self{OlympusCAMER} = 1', holds: (s) => /^(MINOL|CAMER)\0/.test(s) },
  { name: 'MakerNoteMinolta3', perl: '$$self{Make} =~ /^(Konica Minolta|Minolta)/i', holds: (_s, make) => /^(Konica Minolta|Minolta)/i.test(make) },
  { name: 'MakerNoteMotorola', perl: '$$valPt=~/^MOT\\0/', holds: (s) => /^MOT\0/.test(s) },
  { name: 'MakerNoteNikon2', perl: '$$valPt=~/^Nikon\\x00\\x01/', holds: (s) => /^Nikon\x00\x01/.test(s) },
  { name: 'MakerNoteNikon3', perl: '$$self{Make}=~/^NIKON/i', holds: (_s, make) => /^NIKON/i.test(make) },
  { name: 'MakerNoteNintendo', perl: '$$self{Make} eq "Nintendo"', holds: (_s, make) => make === 'Nintendo' },
  { name: 'MakerNoteOlympus', perl: '$$valPt =~ /^(OLYMP|EPSON)\\0/', holds: (s) => /^(OLYMP|EPSON)\0/.test(s) },
  { name: 'MakerNoteOlympus2', perl: '$$valPt =~ /^OLYMPUS\\0/', holds: (s) => /^OLYMPUS\0/.test(s) },
  { name: 'MakerNoteOlympus3', perl: '$$valPt =~ /^OM SYSTEM\\0/', holds: (s) => /^OM SYSTEM\0/.test(s) },
  { name: 'MakerNoteLeica', perl: '$$self{Make} eq "LEICA"', holds: (_s, make) => make === 'LEICA' },
  { name: 'MakerNoteLeica2', perl: '$$self{Make} =~ /^Leica Camera AG/ and $$valPt =~ /^LEICA\\0\\0\\0/', holds: (s, make) => leicaAG(make) && /^LEICA\0\0\0/.test(s) },
  {
    name: 'MakerNoteLeica3',
    perl: '$$self{Make} =~ /^Leica Camera AG/ and $$valPt !~ /^LEICA/ and $$self{Model} ne "S2" and $$self{Model} ne "LEICA M (Typ 240)"',
    holds: (s, make, model) => leicaAG(make) && !/^LEICA/.test(s) && model !== 'S2' && model !== 'LEICA M (Typ 240)',
  },
  { name: 'MakerNoteLeica4', perl: '$$self{Make} =~ /^Leica Camera AG/ and $$valPt =~ /^LEICA0/', holds: (s, make) => leicaAG(make) && /^LEICA0/.test(s) },
  { name: 'MakerNoteLeica5', perl: '$$valPt =~ /^LEICA\\0[\\x01\\x04\\x05\\x06\\x07\\x10\\x1a]\\0/', holds: (s) => /^LEICA\0[\x01\x04\x05\x06\x07\x10\x1a]\0/.test(s) },
  {
    name: 'MakerNoteLeica6',
    perl: "($$self{Make} eq 'Leica Camera AG' and ($$self{Model} eq 'S2' or $$self{Model} eq 'LEICA M (Typ 240)' or $$self{Model} eq 'LEICA S (Typ 006)'))",
    holds: (_s, make, model) => make === 'Leica Camera AG' && (model === 'S2' || model === 'LEICA M (Typ 240)' || model === 'LEICA S (Typ 006)'),
  },
  { name: 'MakerNoteLeica7', perl: '$$valPt =~ /^LEICA\\0\\x02\\xff/', holds: (s) => /^LEICA\0\x02\xff/.test(s) },
  { name: 'MakerNoteLeica8', perl: '$$valPt =~ /^LEICA\\0[\\x08\\x09\\x0a]\\0/', holds: (s) => /^LEICA\0[\x08\x09\x0a]\0/.test(s) },
  { name: 'MakerNoteLeica9', perl: '$$self{Make} =~ /^Leica Camera AG/ and $$valPt =~ /^LEICA\\0\\x02\\0/', holds: (s, make) => leicaAG(make) && /^LEICA\0\x02\0/.test(s) },
  { name: 'MakerNoteLeica10', perl: '$$valPt =~ /^LEICA CAMERA AG\\0/', holds: (s) => /^LEICA CAMERA AG\0/.test(s) },
  { name: 'MakerNotePanasonic', perl: '$$valPt=~/^Panasonic/ and $$self{Model} ne "DC-FT7"', holds: (s, _make, model) => /^Panasonic/.test(s) && model !== 'DC-FT7' },
  { name: 'MakerNotePanasonic2', perl: '$$self{Make}=~/^Panasonic/ and $$valPt=~/^MKE/', holds: (s, make) => /^Panasonic/.test(make) && /^MKE/.test(s) },
  { name: 'MakerNotePanasonic3', perl: '$$valPt=~/^Panasonic/', holds: (s) => /^Panasonic/.test(s) },
  {
    name: 'MakerNotePentax',
    perl: '$$valPt=~/^AOC\\0/ and $$self{Model} !~ /^PENTAX Optio ?[34]30RS\\s*$/',
    holds: (s, _make, model) => /^AOC\0/.test(s) && !/^PENTAX Optio ?[34]30RS[ \t\n\r\f\v]*$/.test(model),
  },
  { name: 'MakerNotePentax2', perl: '$$self{Make}=~/^Asahi/ and $$valPt!~/^AOC\\0/', holds: (s, make) => /^Asahi/.test(make) && !/^AOC\0/.test(s) },
  { name: 'MakerNotePentax3', perl: '$$self{Make}=~/^Asahi/', holds: (_s, make) => /^Asahi/.test(make) },
  { name: 'MakerNotePentax4', perl: '$$self{Make}=~/^PENTAX/ and $$valPt=~/^\\d{3}/', holds: (s, make) => /^PENTAX/.test(make) && /^\d{3}/.test(s) },
  { name: 'MakerNotePentax5', perl: '$$valPt=~/^PENTAX \\0/', holds: (s) => /^PENTAX \0/.test(s) },
  { name: 'MakerNotePentax6', perl: '$$valPt=~/^S1\\0{6}\\x0c\\0{3}/', holds: (s) => /^S1\0{6}\x0c\0{3}/.test(s) },
  {
    name: 'MakerNotePhaseOne',
    perl: "return undef unless $$valPt =~ /^(IIII.waR|MMMMRaw.)/s; $self->OverrideFileType($$self{TIFF_TYPE} = 'IIQ') if $count > 1000000; return 1;",
    holds: (s) => /^(IIII.waR|MMMMRaw.)/s.test(s),
  },
  {
    name: 'MakerNoteReconyxHyperFire',
    perl: '$$valPt =~ /^\\x01\\xf1([\\x02\\x03]\\x00)?/ and ($1 or $$self{Make} eq "RECONYX")',
    holds: (s, make) => {
      const m = /^\x01\xf1([\x02\x03]\x00)?/.exec(s);
      return m !== null && (m[1] !== undefined || make === 'RECONYX');
    },
  },
  { name: 'MakerNoteReconyxUltraFire', perl: '$$valPt =~ /^RECONYXUF\\0/', holds: (s) => /^RECONYXUF\0/.test(s) },
  { name: 'MakerNoteReconyxHyperFire2', perl: '$$valPt =~ /^RECONYXH2\\0/', holds: (s) => /^RECONYXH2\0/.test(s) },
  { name: 'MakerNoteReconyxMicroFire', perl: '$$valPt =~ /^RECONYXMF\\0/', holds: (s) => /^RECONYXMF\0/.test(s) },
  { name: 'MakerNoteReconyxHyperFire4K', perl: '$$valPt =~ /^RECONYXHF4K\\0/', holds: (s) => /^RECONYXHF4K\0/.test(s) },
  { name: 'MakerNoteRicohPentax', perl: '$$valPt=~/^RICOH\\0(II|MM)/', holds: (s) => /^RICOH\0(II|MM)/.test(s) },
  {
    name: 'MakerNoteRicoh',
    perl: "$$self{Make} =~ /^(PENTAX )?RICOH/ and $$valPt =~ /^(Ricoh| |MM\\0\\x2a|II\\x2a\\0)/i and $$valPt !~ /^(MM\\0\\x2a\\0\\0\\0\\x08\\0.\\0\\0|II\\x2a\\0\\x08\\0\\0\\0.\\0\\0\\0)/s and $$self{Model} ne 'RICOH WG-M1'",
    holds: (s, make, model) =>
      /^(PENTAX )?RICOH/.test(make) && /^(Ricoh|      |MM\0\x2a|II\x2a\0)/i.test(s) && !RICOH_TIFF.test(s) && model !== 'RICOH WG-M1',
  },
  {
    name: 'MakerNoteRicoh2',
    perl: "$$self{Make} =~ /^(PENTAX )?RICOH/ and ($$self{Model} eq 'RICOH WG-M1' or $$valPt =~ /^(MM\\0\\x2a\\0\\0\\0\\x08\\0.\\0\\0|II\\x2a\\0\\x08\\0\\0\\0.\\0\\0\\0)/s)",
    holds: (s, make, model) => /^(PENTAX )?RICOH/.test(make) && (model === 'RICOH WG-M1' || RICOH_TIFF.test(s)),
  },
  { name: 'MakerNoteRicohText', perl: '$$self{Make}=~/^RICOH/', holds: (_s, make) => /^RICOH/.test(make) },
  { name: 'MakerNoteSamsung1a', perl: '$$valPt =~ /^STMN\\d{3}.\\0{4}/s', holds: (s) => /^STMN\d{3}.\0{4}/s.test(s) },
  { name: 'MakerNoteSamsung1b', perl: '$$valPt =~ /^STMN\\d{3}/', holds: (s) => /^STMN\d{3}/.test(s) },
  {
    name: 'MakerNoteSamsung2',
    perl: "uc $$self{Make} eq 'SAMSUNG' and ($$self{TIFF_TYPE} eq 'SRW' or $$valPt=~/^(\\0.\\0\\x01\\0\\x07\\0{3}\\x04|.\\0\\x01\\0\\x07\\0\\x04\\0{3})0100/s)",
    // TIFF_TYPE is SRW only for Samsung raw files, which the reader never sees
    holds: (s, make) => make.toUpperCase() === 'SAMSUNG' && /^(\0.\0\x01\0\x07\0{3}\x04|.\0\x01\0\x07\0\x04\0{3})0100/s.test(s),
  },
  { name: 'MakerNoteSanyo', perl: '$$self{Make}=~/^SANYO/ and $$self{Model}!~/^(C4|J\\d|S\\d)\\b/', holds: (_s, make, model) => /^SANYO/.test(make) && !/^(C4|J\d|S\d)\b/.test(model) },
  { name: 'MakerNoteSanyoC4', perl: '$$self{Make}=~/^SANYO/ and $$self{Model}=~/^C4\\b/', holds: (_s, make, model) => /^SANYO/.test(make) && /^C4\b/.test(model) },
  { name: 'MakerNoteSanyoPatch', perl: '$$self{Make}=~/^SANYO/', holds: (_s, make) => /^SANYO/.test(make) },
  {
    name: 'MakerNoteSigma',
    perl: 'return undef unless $$self{Make}=~/^(SIGMA|FOVEON)/i; # save version number in "MakerNoteSigmaVer" member variable $$self{MakerNoteSigmaVer} = $$valPt=~/^SIGMA\\0\\0\\0.(.)/s ? ord($1) : -1; return 1;',
    holds: (_s, make) => /^(SIGMA|FOVEON)/i.test(make),
  },
  { name: 'MakerNoteSony', perl: '$$valPt=~/^(SONY (DSC|CAM|MOBILE)|\\0\\0SONY PIC\\0|VHAB \\0)/', holds: (s) => /^(SONY (DSC|CAM|MOBILE)|\0\0SONY PIC\0|VHAB     \0)/.test(s) },
  { name: 'MakerNoteSony2', perl: '$$valPt=~/^SONY PI\\0/ and $$self{OlympusCAMER}=1', holds: (s) => /^SONY PI\0/.test(s) },
  { name: 'MakerNoteSony3', perl: '$$valPt=~/^(PREMI)\\0/ and $$self{OlympusCAMER}=1', holds: (s) => /^(PREMI)\0/.test(s) },
  { name: 'MakerNoteSony4', perl: '$$valPt=~/^SONY PIC\\0/', holds: (s) => /^SONY PIC\0/.test(s) },
  {
    name: 'MakerNoteSony5',
    perl: '($$self{Make}=~/^SONY/ or ($$self{Make}=~/^HASSELBLAD/ and $$self{Model}=~/^(HV|Stellar|Lusso|Lunar)/)) and $$valPt!~/^\\x01\\x00/',
    holds: (s, make, model) => (/^SONY/.test(make) || (/^HASSELBLAD/.test(make) && /^(HV|Stellar|Lusso|Lunar)/.test(model))) && !/^\x01\x00/.test(s),
  },
  { name: 'MakerNoteSonyEricsson', perl: '$$valPt =~ /^SEMC MS\\0/', holds: (s) => /^SEMC MS\0/.test(s) },
  { name: 'MakerNoteSonySRF', perl: '$$self{Make}=~/^SONY/', holds: (_s, make) => /^SONY/.test(make) },
  // Perl's $ also matches before a final line break
  { name: 'MakerNoteUnknownText', perl: '$$valPt =~ /^[\\x09\\x0d\\x0a\\x20-\\x7e]+\\0*$/', holds: (s) => /^[\x09\x0d\x0a\x20-\x7e]+\0*\n?$/.test(s) },
  { name: 'MakerNoteUnknownBinary', perl: '$$valPt =~ /^LSI1\\0/', holds: (s) => /^LSI1\0/.test(s) },
  { name: 'MakerNoteUnknown', perl: '', holds: () => true },
];

/** A maker note the reader follows: where ExifTool finds its directory, and the tags it defers on. */
export interface NoteKind {
  /** Its MakerNotes.pm entry. */
  name: string;
  /** Its SubDirectory's TagTable; none for a note ExifTool keeps as one binary or text value. */
  table?: string;
  /** Harmless whatever it holds: no directory to read (see KINDS). */
  any?: true;
  /** The directory starts at this offset in the note (SubDirectory Start '$valuePtr + N')... */
  start?: number;
  /** ...or at the offset read (as a little-endian int32u) at this offset of the note (OffsetPt). */
  offsetAt?: number;
  /** 'Unknown': the EXIF block's order, swapped when the entry count looks wrong the way ExifTool judges it. */
  byteOrder?: 'Unknown' | 'LittleEndian';
  /** Tags of the table that could lead to a listed tag (see the file comment). */
  unsafe?: ReadonlySet<number>;
  /** Tags of the table that open a sub-directory (whose address ExifTool remembers, see NoteReach). */
  subdirs?: ReadonlySet<number>;
}

/**
 * Whether ExifTool may read a directory of the note outside the note's own bytes. ExifTool
 * remembers the address of every directory it reads and skips a later one at the same address: a
 * GPS directory there would be skipped ("GPS pointer references previous ... directory"). Where a
 * sub-directory lies depends on the note's offset base (which ExifTool may guess, FixBase), on
 * Start expressions ('$valuePtr + 72'), on values of 1 to 4 bytes read as offsets, and on
 * directories inside it: `outside` is true for a note with any sub-directory entry at all, but
 * for Nikon's (`spans`).
 */
export interface NoteReach {
  outside: boolean;
  /**
   * Where the note's sub-directories lie when that is certain, as [from, to) offsets from the
   * note's start. A Nikon note carries its own TIFF header, from which its offsets count (Base
   * '$start - 8', no FixBase); each sub-directory of its table is read at its entry's value
   * (binary tables, and the directories inside them, within the value's bytes), but PreviewIFD
   * and NikonScanIFD are IFDs at the offset the value gives (Start '$val'), the scan IFD with
   * binary directories of its own (NIKON_IFDS). An IFD linked after any of these, or one that
   * cannot be read, makes the note `outside`.
   */
  spans?: Array<[number, number]>;
}

/** Bytes per value of each TIFF type (1-13), for the size of an entry's value. */
export const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
/** MakerNoteNikon: its TIFF header's offset in the note, from which its offsets count. */
const NIKON_BASE = 10;
/**
 * Nikon::Main's entries that point at an IFD (Start '$val'), with the sub-directory tags of that
 * IFD's table (Nikon::PreviewIFD, Nikon::Scan; checked against ExifTool by test/maker-notes.test.ts).
 */
export const NIKON_IFDS: ReadonlyMap<number, [string, ReadonlySet<number>]> = new Map([
  [0x0011, ['Image::ExifTool::Nikon::PreviewIFD', new Set<number>()]],
  [0x0e10, ['Image::ExifTool::Nikon::Scan', new Set([0x0110, 0x0120])]],
]);
/**
 * Nikon::Main's sub-directories that may start past their value (Start '$valuePtr + N', whatever
 * the value's size: ExifTool records the address even when the directory's length comes out
 * negative): ColorBalance0100, 0102, 0103. (0x0e0e, '$valuePtr + 4', is unsafe.)
 */
export const NIKON_PAST_VALUE: ReadonlyMap<number, readonly number[]> = new Map([[0x0097, [10, 20, 72]]]);

const PENTAX_UNSAFE = new Set([0x0239, 0x023f]);
const PENTAX_SUBDIRS = new Set([
  0x003f, 0x005c, 0x0060, 0x0068, 0x006b, 0x007d, 0x0205, 0x0206, 0x0207, 0x0208, 0x0215, 0x0216, 0x021f, 0x0221, 0x0222, 0x0224, 0x0226,
  0x0227, 0x0228, 0x022a, 0x022b, 0x022d, 0x0238, 0x0239, 0x0243, 0x0245, 0x03ff, 0x040b, 0x040c, 0x0e00,
]);
const OLYMPUS_UNSAFE = new Set([0x0208, 0x2010, 0x4000]);
const OLYMPUS_SUBDIRS = new Set([
  0x0001, 0x0003, 0x0208, 0x0e00, 0x2010, 0x2020, 0x2030, 0x2031, 0x2040, 0x2050, 0x2100, 0x2200, 0x2300, 0x2400, 0x2500, 0x2600, 0x2700,
  0x2800, 0x2900, 0x3000, 0x4000, 0x5000,
]);

export const KINDS: readonly NoteKind[] = [
  {
    name: 'MakerNoteNikon',
    table: 'Image::ExifTool::Nikon::Main',
    start: 18,
    byteOrder: 'Unknown',
    unsafe: new Set([0x004e, 0x0098, 0x0e01, 0x0e0e, 0x0e13, 0x0e1d]),
    subdirs: new Set([
      0x0011, 0x0014, 0x001f, 0x0021, 0x0023, 0x0024, 0x0025, 0x002b, 0x002c, 0x0032, 0x0035, 0x0039, 0x004e, 0x0051, 0x0056, 0x0088, 0x0091,
      0x0097, 0x0098, 0x00a8, 0x00b0, 0x00b7, 0x00b8, 0x00b9, 0x00bb, 0x00bd, 0x00c3, 0x0e00, 0x0e01, 0x0e0e, 0x0e10, 0x0e13, 0x0e1d, 0x0e1e,
    ]),
  },
  { name: 'MakerNoteCasio2', table: 'Image::ExifTool::Casio::Type2', start: 6, byteOrder: 'Unknown', unsafe: new Set(), subdirs: new Set([0x0e00, 0x2089]) },
  {
    name: 'MakerNoteFujiFilm',
    table: 'Image::ExifTool::FujiFilm::Main',
    offsetAt: 8,
    byteOrder: 'LittleEndian',
    unsafe: new Set([0x4282]),
    subdirs: new Set([0x102b, 0x102d, 0x102e, 0x1103, 0x4282]),
  },
  { name: 'MakerNoteMotorola', table: 'Image::ExifTool::Motorola::Main', start: 8, byteOrder: 'Unknown', unsafe: new Set(), subdirs: new Set() },
  { name: 'MakerNoteNikon2', table: 'Image::ExifTool::Nikon::Type2', start: 8, byteOrder: 'LittleEndian', unsafe: new Set(), subdirs: new Set() },
  { name: 'MakerNoteOlympus', table: 'Image::ExifTool::Olympus::Main', start: 8, byteOrder: 'Unknown', unsafe: OLYMPUS_UNSAFE, subdirs: OLYMPUS_SUBDIRS },
  { name: 'MakerNoteOlympus2', table: 'Image::ExifTool::Olympus::Main', start: 12, byteOrder: 'Unknown', unsafe: OLYMPUS_UNSAFE, subdirs: OLYMPUS_SUBDIRS },
  { name: 'MakerNotePanasonic', table: 'Image::ExifTool::Panasonic::Main', start: 12, byteOrder: 'Unknown', unsafe: new Set(), subdirs: new Set([0x004e, 0x0061, 0x0e00, 0x2003]) },
  { name: 'MakerNotePentax5', table: 'Image::ExifTool::Pentax::Main', start: 10, byteOrder: 'Unknown', unsafe: PENTAX_UNSAFE, subdirs: PENTAX_SUBDIRS },
  { name: 'MakerNoteRicohPentax', table: 'Image::ExifTool::Pentax::Main', start: 8, byteOrder: 'Unknown', unsafe: PENTAX_UNSAFE, subdirs: PENTAX_SUBDIRS },
  // Kept as one value (binary or text): no tags come out of these, no directory is read.
  { name: 'MakerNoteSamsung1a', any: true },
  { name: 'MakerNoteUnknownText', any: true },
  { name: 'MakerNoteUnknownBinary', any: true },
  // The last entry, taken when no condition holds (phones of makers ExifTool has no table for):
  // a PreviewImage when the note is a JPEG, else an IFD found by LocateIFD and read with
  // Unknown::Main, whose only tag is PrintIM.
  { name: 'MakerNoteUnknown', table: 'Image::ExifTool::Unknown::Main', any: true, subdirs: new Set([0x0e00]) },
];

/** The name of the MakerNotes.pm entry ExifTool picks. */
export function pickMakerNote(note: Buffer, make: string, model: string): string {
  // ExifTool evaluates the conditions on the note's first 128 bytes (Exif.pm, GetTagInfo's $tmpVal)
  const s = note.toString('latin1', 0, Math.min(note.length, 128));
  return CONDITIONS.find((c) => c.holds(s, make, model))!.name;
}

/**
 * Exif.pm's ByteOrder 'Unknown': the entry count at `at` is read in the EXIF block's order, and a
 * count whose high byte is above its low byte means the other order. True: little-endian.
 */
export function unknownOrderIsLittle(b: Buffer, at: number, exifLittleEndian: boolean): boolean {
  const n = exifLittleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at);
  return n & 0xff00 && n >> 8 > (n & 0xff) ? !exifLittleEndian : exifLittleEndian;
}

/**
 * Checks a note of a kind the reader follows (`picked`, from pickMakerNote), as ExifTool would read
 * it: what it reaches outside its bytes when none of its entries could give a listed tag; null
 * when it is no such kind; `unsure` (thrown by `fail`) when the kind is known but the note could
 * matter or cannot be read.
 */
export function harmlessCameraNote(
  picked: string,
  note: Buffer,
  exifLittleEndian: boolean,
  fail: (why: string) => never,
  /** The EXIF block from the note's start on, where IFDs a Nikon note points at may lie. */
  from: Buffer = note,
): NoteReach | null {
  const kind = KINDS.find((k) => k.name === picked);
  if (!kind) return null;
  if (kind.any) {
    // Unknown's IFD (wherever LocateIFD finds it) may hold a PrintIM entry, whose offset base
    // ExifTool may move: any note where the tag 0x0e00 could be is unbounded
    const printIm = kind.subdirs !== undefined && (note.includes(Buffer.from([0x0e, 0x00])) || note.includes(Buffer.from([0x00, 0x0e])));
    return { outside: printIm };
  }
  let at: number;
  if (kind.offsetAt !== undefined) {
    if (kind.offsetAt + 4 > note.length) fail(`a ${kind.name} too short`);
    at = note.readUInt32LE(kind.offsetAt);
  } else {
    at = kind.start!;
  }
  if (at + 2 > note.length) fail(`a ${kind.name} too short`);
  const le = kind.byteOrder === 'LittleEndian' || unknownOrderIsLittle(note, at, exifLittleEndian);
  const u16 = (o: number) => (le ? note.readUInt16LE(o) : note.readUInt16BE(o));
  const count = u16(at);
  if (at + 2 + 12 * count > note.length) fail(`a ${kind.name} whose directory runs past the note`);
  const tags = Array.from({ length: count }, (_, i) => u16(at + 2 + 12 * i));
  for (const tag of tags) {
    if (kind.unsafe!.has(tag)) fail(`a ${kind.name} with tag 0x${tag.toString(16).padStart(4, '0')}, which can give a listed tag`);
  }
  if (kind.name !== 'MakerNoteNikon') return { outside: tags.some((tag) => kind.subdirs!.has(tag)) };
  const spans: Array<[number, number]> = [];
  const next = at + 2 + 12 * count;
  // ExifTool would read an IFD linked after the note's as another of its directories
  const linked = next + 4 > note.length || (le ? note.readUInt32LE(next) : note.readUInt32BE(next)) !== 0;
  if (linked || !nikonSpans(from, at, count, le, kind.subdirs!, true, spans)) return { outside: true };
  return { outside: false, spans };
}

/**
 * Adds to `spans` where the sub-directories of the Nikon IFD at `ifd` in `b` (the EXIF block from
 * the note's start on) lie, those of the IFDs it points at included (`top`: the note's own IFD);
 * false when one of them could be anywhere.
 */
function nikonSpans(b: Buffer, ifd: number, n: number, le: boolean, subdirs: ReadonlySet<number>, top: boolean, spans: Array<[number, number]>): boolean {
  const r16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const r32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + 12 * i;
    const tag = r16(e);
    if (!subdirs.has(tag)) continue;
    const type = r16(e + 2);
    const size = (TYPE_SIZE[type] ?? 0) * r32(e + 4);
    // where the value lies: in the entry, or at its offset
    const value = size > 4 ? NIKON_BASE + r32(e + 8) : e + 8;
    for (const past of (top && NIKON_PAST_VALUE.get(tag)) || []) spans.push([value + past, value + past + 1]);
    const pointed = top ? NIKON_IFDS.get(tag) : undefined;
    if (pointed) {
      // an IFD at the offset given (ExifTool takes any integer type; the reader a LONG or IFD
      // pointer), with no link to a next IFD
      if ((type !== 4 && type !== 13) || r32(e + 4) !== 1) return false;
      const s = NIKON_BASE + r32(e + 8);
      if (s + 2 > b.length) return false;
      const m = r16(s);
      const end = s + 2 + 12 * m + 4;
      if (end > b.length || r32(end - 4) !== 0) return false;
      spans.push([s, end]);
      if (!nikonSpans(b, s, m, le, pointed[1], false, spans)) return false;
    } else if (size === 0) {
      return false;
    } else {
      spans.push([value, value + Math.max(size, 4)]);
    }
  }
  return true;
}
