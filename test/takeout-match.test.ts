/**
 * The matcher against shoebox's own table of Takeout directories, rebuilt from RULES.md and the
 * peer cases so that it runs on a fresh clone. Each case is one directory: every media file in
 * it has an expected sidecar (or none), so a wrong pairing anywhere in it fails the case.
 */
import { describe, expect, it } from 'vitest';
import { MATCH_RULES, type MatchRule, type SidecarName, matchDirectory } from '../src/takeout/match.js';

/** A sidecar by name, or [name, title] when the test has the caller read its title. */
type Side = string | [name: string, title: string] | SidecarName;
/** media name → [sidecar name, rule], or null for no sidecar. */
type Expected = Record<string, [string, MatchRule] | null>;

interface Case {
  rule: string;
  name: string;
  sidecars: Side[];
  expect: Expected;
}

/** `prefix` padded with `x` to exactly `length` UTF-16 units, for names at Google's limits. */
const pad = (prefix: string, length: number) => prefix.padEnd(length, 'x');

const T46 = pad('Birthday party at the lake house', 46);
const LONG_TITLE = 'Sunset over the old harbour of Porto seen from the bridge.jpg';
/** The media name Google writes for LONG_TITLE: the stem cut at 51 − '.jpg'. */
const LONG_MEDIA = `${LONG_TITLE.slice(0, 47)}.jpg`;
const EMOJI = '😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛';
const BACKYARD = 'Backyard_ceremony_wedding_photography_xxxxxxx_';
const ORIGINAL = 'original_1d4caa6f-16c6-4c3d-901b-9387de10e528_';

function run(media: string[], sidecars: Side[]): Expected {
  const names: SidecarName[] = sidecars.map((s) =>
    typeof s === 'string' ? { name: s } : Array.isArray(s) ? { name: s[0], title: s[1] } : s,
  );
  const got: Expected = Object.fromEntries(media.map((m) => [m, null]));
  for (const m of matchDirectory(media, names)) got[media[m.media]!] = [names[m.sidecar]!.name, m.rule];
  return got;
}

const CASES: Case[] = [
  // R1
  { rule: 'R1', name: 'legacy sidecar', sidecars: ['IMG_1.jpg.json'], expect: { 'IMG_1.jpg': ['IMG_1.jpg.json', 'exact'] } },
  { rule: 'R1', name: 'media without extension', sidecars: ['no_extension.json'], expect: { no_extension: ['no_extension.json', 'exact'] } },
  { rule: 'R1', name: 'dots in the stem', sidecars: ['file.with.dots.jpg.json'], expect: { 'file.with.dots.jpg': ['file.with.dots.jpg.json', 'exact'] } },
  { rule: 'R1', name: 'video with its own sidecar', sidecars: ['PXL_20231006_063909898.LS.mp4.json'], expect: { 'PXL_20231006_063909898.LS.mp4': ['PXL_20231006_063909898.LS.mp4.json', 'exact'] } },
  { rule: 'R1/R6', name: 'extension case differs (TLG #46)', sidecars: ['Photo.JPG.json'], expect: { 'Photo.jpg': ['Photo.JPG.json', 'exact'] } },
  { rule: 'R1/R6', name: 'two files fold to one JSON name: the one that agrees in case wins', sidecars: ['IMG_1.jpg.json'], expect: { 'IMG_1.jpg': ['IMG_1.jpg.json', 'exact'], 'IMG_1.JPG': null } },
  { rule: 'R1', name: 'no sidecar at all', sidecars: [], expect: { 'photo.jpg': null } },
  { rule: 'R1', name: "a neighbour's sidecar is not ours", sidecars: ['PXL_20211013_220651983.jpg.json'], expect: { 'PXL_20211013_220651958.jpg': null } },
  // R2
  { rule: 'R2.1', name: 'supplemental-metadata', sidecars: ['20161105_170829.jpg.supplemental-metadata.json'], expect: { '20161105_170829.jpg': ['20161105_170829.jpg.supplemental-metadata.json', 'supplemental'] } },
  { rule: 'R2.2', name: 'suffix clipped to supple', sidecars: ['Screenshot_20231027_123303_Facebook.jpg.supple.json'], expect: { 'Screenshot_20231027_123303_Facebook.jpg': ['Screenshot_20231027_123303_Facebook.jpg.supple.json', 'supplemental'] } },
  { rule: 'R2.2', name: 'suffix clipped to supplemental-me', sidecars: ['Screenshot_20200301-161151.png.supplemental-me.json'], expect: { 'Screenshot_20200301-161151.png': ['Screenshot_20200301-161151.png.supplemental-me.json', 'supplemental'] } },
  { rule: 'R2.2', name: 'suffix clipped to supplemental-metadat', sidecars: ['IMG-20230325-WA0122~2.jpg.supplemental-metadat.json'], expect: { 'IMG-20230325-WA0122~2.jpg': ['IMG-20230325-WA0122~2.jpg.supplemental-metadat.json', 'supplemental'] } },
  { rule: 'R2.2', name: 'suffix clipped to one letter', sidecars: ['IMG_5.jpg.s.json'], expect: { 'IMG_5.jpg': ['IMG_5.jpg.s.json', 'supplemental'] } },
  { rule: 'R2.2', name: 'a 45-unit title keeps only the dot', sidecars: [`${pad('Holiday', 41)}.jpg..json`], expect: { [`${pad('Holiday', 41)}.jpg`]: [`${pad('Holiday', 41)}.jpg..json`, 'supplemental'] } },
  { rule: 'R2.4', name: 'suffix clipped at another length (NEO)', sidecars: ['PXL_20230518_103349822.MP.supplemental-met.json'], expect: { 'PXL_20230518_103349822.MP': ['PXL_20230518_103349822.MP.supplemental-met.json', 'supplemental'] } },
  { rule: 'R2.3', name: 'title ≥ 46: the suffix disappears', sidecars: ['Screenshot_2024-08-31-00-53-48-647_com.snapcha.json'], expect: { 'Screenshot_2024-08-31-00-53-48-647_com.snapchat.jpg': ['Screenshot_2024-08-31-00-53-48-647_com.snapcha.json', 'clipped'] } },
  { rule: 'R2.4', name: 'long title left unclipped in the JSON name, media clipped at 51', sidecars: [`${LONG_TITLE}.supplemental-metadata.json`], expect: { [LONG_MEDIA]: [`${LONG_TITLE}.supplemental-metadata.json`, 'clipped'] } },
  { rule: 'R2.5', name: 'counter after the suffix', sidecars: ['Scan35.jpg.supplemental-metadata(1).json', 'Scan35.jpg.supplemental-metadata.json'], expect: { 'Scan35.jpg': ['Scan35.jpg.supplemental-metadata.json', 'supplemental'], 'Scan35(1).jpg': ['Scan35.jpg.supplemental-metadata(1).json', 'counter'] } },
  { rule: 'R2.5', name: 'counter after a clipped suffix', sidecars: ['Screenshot_20231027_123303_Facebook.jpg.supple(1).json'], expect: { 'Screenshot_20231027_123303_Facebook(1).jpg': ['Screenshot_20231027_123303_Facebook.jpg.supple(1).json', 'counter'] } },
  { rule: 'R2.5', name: 'two-digit counter', sidecars: ['CLIP0001.AVI.supplemental-metadata(10).json'], expect: { 'CLIP0001(10).AVI': ['CLIP0001.AVI.supplemental-metadata(10).json', 'counter'] } },
  { rule: 'R2.5', name: 'counter before the suffix (NEO tests)', sidecars: ['IMG_2367.HEIC(1).supplemental-metadata.json'], expect: { 'IMG_2367(1).HEIC': ['IMG_2367.HEIC(1).supplemental-metadata.json', 'counter'] } },
  { rule: 'R2.5/R4.4', name: "' (2)' with a space belongs to the title (ENTE)", sidecars: ['skytree (2).jpg.supplemental-metadata.json'], expect: { 'skytree (2).jpg': ['skytree (2).jpg.supplemental-metadata.json', 'supplemental'] } },
  { rule: 'R2.6', name: 'both namings present: the 2024+ one wins', sidecars: ['photo.jpg.json', 'photo.jpg.supplemental-metadata.json'], expect: { 'photo.jpg': ['photo.jpg.supplemental-metadata.json', 'supplemental'] } },
  // R3
  { rule: 'R3', name: 'JSON clipped, media not', sidecars: ['Screenshot_2022-10-28-09-31-43-118_com.snapcha.json'], expect: { 'Screenshot_2022-10-28-09-31-43-118_com.snapchat.jpg': ['Screenshot_2022-10-28-09-31-43-118_com.snapcha.json', 'clipped'] } },
  { rule: 'R3', name: 'both clipped', sidecars: ['PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json'], expect: { 'PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg': ['PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json', 'clipped'] } },
  { rule: 'R3', name: '.jpeg: media stem clipped at 46, JSON at 46 before the dot', sidecars: ['MSGR_PHOTO_FOR_UPLOAD_1522315122420.jpg_152231.json'], expect: { 'MSGR_PHOTO_FOR_UPLOAD_1522315122420.jpg_152231.jpeg': ['MSGR_PHOTO_FOR_UPLOAD_1522315122420.jpg_152231.json', 'extension-clipped'] } },
  { rule: 'R3/R6', name: 'extension clipped inside the JSON name', sidecars: ['05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json'], expect: { '05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg': ['05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json', 'extension-clipped'] } },
  { rule: 'R3/R4.4', name: "clipped extension after a title's own (38)", sidecars: ['Urlaub in Knaufspesch in der Schneifel (38).JP.json'], expect: { 'Urlaub in Knaufspesch in der Schneifel (38).JPG': ['Urlaub in Knaufspesch in der Schneifel (38).JP.json', 'extension-clipped'] } },
  { rule: 'R3', name: "clip right after the dot: '..json'", sidecars: ['PXL_20230814_201154491.LONG_EXPOSURE-01.COVER..json'], expect: { 'PXL_20230814_201154491.LONG_EXPOSURE-01.COVER.jpg': ['PXL_20230814_201154491.LONG_EXPOSURE-01.COVER..json', 'extension-clipped'] } },
  { rule: 'R3/R6', name: 'clipped extension and a counter', sidecars: ['13039_327707840323_537645323_9470255_27214_n.j(1).json'], expect: { '13039_327707840323_537645323_9470255_27214_n(1).jpg': ['13039_327707840323_537645323_9470255_27214_n.j(1).json', 'extension-clipped'] } },
  { rule: 'R3', name: 'emoji: clip counted in UTF-16 units, pair kept whole', sidecars: [`${EMOJI.slice(0, 46)}.json`], expect: { [`${EMOJI}.jpg`]: [`${EMOJI.slice(0, 46)}.json`, 'clipped'] } },
  { rule: 'R3/R4.3', name: 'issue #39: counters separate the collisions', sidecars: [`${BACKYARD}.json`, `${BACKYARD}(1).json`, `${BACKYARD}(494).json`], expect: { [`${BACKYARD}m.jpg`]: [`${BACKYARD}.json`, 'clipped'], [`${BACKYARD}m(1).jpg`]: [`${BACKYARD}(1).json`, 'clipped'], [`${BACKYARD}m(494).jpg`]: [`${BACKYARD}(494).json`, 'clipped'], [`${BACKYARD}m(185).jpg`]: null } },
  { rule: 'R3', name: 'two media could own one clipped JSON: neither gets it', sidecars: [`${T46}.json`], expect: { [`${T46}A.jpg`]: null, [`${T46}B.jpg`]: null } },
  { rule: 'R3', name: 'the title settles which media owns a clipped JSON', sidecars: [[`${T46}.json`, `${T46}A and more.jpg`]], expect: { [`${T46}A.jpg`]: [`${T46}.json`, 'title'], [`${T46}B.jpg`]: null } },
  { rule: 'R3', name: 'a title that disagrees vetoes a clipped match', sidecars: [[`${T46}.json`, `${T46}A and more.jpg`]], expect: { [`${T46}B.jpg`]: null } },
  // R4
  { rule: 'R4.1', name: 'counter moves after the extension', sidecars: ['IMG_3479.JPG.json', 'IMG_3479.JPG(1).json'], expect: { 'IMG_3479.JPG': ['IMG_3479.JPG.json', 'exact'], 'IMG_3479(1).JPG': ['IMG_3479.JPG(1).json', 'counter'] } },
  { rule: 'R4.4', name: 'only the last (n) is the counter', sidecars: ['img_(87).(vacation stuff).lol.jpg(87).json'], expect: { 'img_(87).(vacation stuff).lol(87).jpg': ['img_(87).(vacation stuff).lol.jpg(87).json', 'counter'] } },
  { rule: 'R4.3', name: 'negative: DSC_0102(1).JPG vs DSC_0102.JPG(2).json', sidecars: ['DSC_0102.JPG(2).json'], expect: { 'DSC_0102(1).JPG': null } },
  { rule: 'R4.3', name: 'negative: DSC_0103.JPG vs DSC_0103.JPG(1).json', sidecars: ['DSC_0103.JPG(1).json'], expect: { 'DSC_0103.JPG': null } },
  { rule: 'R4.3', name: 'negative: DSC_0104(1).JPG vs DSC_0104.JPG.json', sidecars: ['DSC_0104.JPG.json'], expect: { 'DSC_0104(1).JPG': null } },
  { rule: 'R4.3', name: 'negative: …_m(185).jpg vs …_(494).json', sidecars: [`${BACKYARD}(494).json`], expect: { [`${BACKYARD}m(185).jpg`]: null } },
  { rule: 'R4.3', name: 'negatives side by side', sidecars: ['DSC_0102.JPG(2).json', 'DSC_0103.JPG(1).json', 'DSC_0104.JPG.json'], expect: { 'DSC_0102(1).JPG': null, 'DSC_0103.JPG': null, 'DSC_0104(1).JPG': null } },
  { rule: 'R4.5', name: 'forgotten duplicate shares the original sidecar', sidecars: [`${ORIGINAL}.json`], expect: { [`${ORIGINAL}P.jpg`]: [`${ORIGINAL}.json`, 'clipped'], [`${ORIGINAL}P(1).jpg`]: [`${ORIGINAL}.json`, 'forgotten-duplicate'] } },
  { rule: 'R4.5', name: 'no forgotten duplicate without the original beside it', sidecars: [`${ORIGINAL}.json`], expect: { [`${ORIGINAL}P(1).jpg`]: null } },
  { rule: 'R4.5', name: 'no forgotten duplicate below the 51 limit', sidecars: ['IMG_7.jpg.json'], expect: { 'IMG_7.jpg': ['IMG_7.jpg.json', 'exact'], 'IMG_7(1).jpg': null } },
  { rule: 'R4.5', name: 'a missing JSON in a counted series is lost, not forgotten', sidecars: [`${BACKYARD}.json`, `${BACKYARD}(2).json`], expect: { [`${BACKYARD}m.jpg`]: [`${BACKYARD}.json`, 'clipped'], [`${BACKYARD}m(1).jpg`]: null, [`${BACKYARD}m(2).jpg`]: [`${BACKYARD}(2).json`, 'clipped'] } },
  { rule: 'R4.6', name: '-edited(1) takes the (1) JSON first', sidecars: ['X.jpg.json', 'X.jpg(1).json'], expect: { 'X-edited(1).jpg': ['X.jpg(1).json', 'edited'] } },
  { rule: 'R4.6', name: '-edited(1) falls back to the plain JSON', sidecars: ['simple_file_20200101.jpg.json'], expect: { 'simple_file_20200101-edited(1).jpg': ['simple_file_20200101.jpg.json', 'edited'] } },
  { rule: 'R4.7', name: '~2 is part of the name', sidecars: ['PXL_20210102_221126856.MP~2.jpg.json', 'MVIMG_20200207_134534~2.jpg.supplemental-metad.json'], expect: { 'PXL_20210102_221126856.MP~2.jpg': ['PXL_20210102_221126856.MP~2.jpg.json', 'exact'], 'MVIMG_20200207_134534~2.jpg': ['MVIMG_20200207_134534~2.jpg.supplemental-metad.json', 'supplemental'] } },
  // R5
  { rule: 'R5', name: 'edited shares the original sidecar', sidecars: ['IMAG0061.JPG.supplemental-metadata.json'], expect: { 'IMAG0061.JPG': ['IMAG0061.JPG.supplemental-metadata.json', 'supplemental'], 'IMAG0061-edited.JPG': ['IMAG0061.JPG.supplemental-metadata.json', 'edited'] } },
  { rule: 'R5', name: 'own JSON beats the original one', sidecars: ['photo.jpg.json', 'photo-edited.jpg.json'], expect: { 'photo.jpg': ['photo.jpg.json', 'exact'], 'photo-edited.jpg': ['photo-edited.jpg.json', 'exact'] } },
  ...(
    [
      ['FR', 'PXL_20220405_090123740.PORTRAIT-modifié.jpg', 'PXL_20220405_090123740.PORTRAIT.jpg.json'],
      ['DE', 'foto-bearbeitet.jpg', 'foto.jpg.json'],
      ['IT', 'foto-modificato.jpg', 'foto.jpg.json'],
      ['ES', 'imagen-editado.gif', 'imagen.gif.json'],
      ['ES', 'mi salón-ha editado.JPG', 'mi salón.JPG.json'],
      ['CA', 'foto-editat.jpg', 'foto.jpg.json'],
      ['PL', 'zdjęcie-edytowane.jpg', 'zdjęcie.jpg.json'],
      ['NL', 'foto-bewerkt.jpg', 'foto.jpg.json'],
      ['JA', 'Photo_2023-12-25-編集済み.jpeg', 'Photo_2023-12-25.jpeg.json'],
      ['ZH', '测试-编辑.jpg', '测试.jpg.json'],
      ['FI', 'kuva-muokattu.jpg', 'kuva.jpg.json'],
      ['TR', 'foto-düzenlendi.jpg', 'foto.jpg.json'],
      ['EN upper case', 'IMG_1-EDITED.jpg', 'IMG_1.jpg.json'],
    ] as const
  ).map(([lang, media, json]): Case => ({ rule: 'R5', name: `edited suffix ${lang}`, sidecars: [json], expect: { [media]: [json, 'edited'] } })),
  { rule: 'R5', name: 'edited of a title without extension', sidecars: ['2234089303984509579.supplemental-metadata.json'], expect: { '2234089303984509579-edited.jpg': ['2234089303984509579.supplemental-metadata.json', 'edited'] } },
  { rule: 'R5', name: 'edited suffix clipped at the 51 limit', sidecars: ['Con Yoli por Málaga en el piso nuevo_001.JPG.json', 'Museo Marino de Matalascañas con Yoli_001.JPG.json'], expect: { 'Con Yoli por Málaga en el piso nuevo_001-ha edi.JPG': ['Con Yoli por Málaga en el piso nuevo_001.JPG.json', 'edited-clipped'], 'Museo Marino de Matalascañas con Yoli_001-ha ed.JPG': ['Museo Marino de Matalascañas con Yoli_001.JPG.json', 'edited-clipped'] } },
  { rule: 'R5/R11', name: 'clipped edited suffix on a short name is a real title', sidecars: ['photo.jpg.json'], expect: { 'photo.jpg': ['photo.jpg.json', 'exact'], 'photo-ed.jpg': null, 'photo-edi.jpg': null } },
  { rule: 'R5', name: 'edit of a 46-unit title clipped to its dash', sidecars: [`${T46}.json`], expect: { [`${T46}.jpg`]: [`${T46}.json`, 'extension-clipped'], [`${T46}-.jpg`]: [`${T46}.json`, 'edited-clipped'] } },
  { rule: 'R5/R11', name: 'variants only as a fallback', sidecars: ['VID_20230825_184523.mp4.json', 'IMG_9-COLLAGE.jpg.json', 'IMG_9.jpg.json'], expect: { 'VID_20230825_184523-effects.mp4': ['VID_20230825_184523.mp4.json', 'variant'], 'IMG_9-COLLAGE.jpg': ['IMG_9-COLLAGE.jpg.json', 'exact'], 'IMG_9.jpg': ['IMG_9.jpg.json', 'exact'] } },
  { rule: 'R5', name: 'NFD names from macOS', sidecars: ['café.jpg.json', 'Noël à la plage.jpg.json'.normalize('NFD')], expect: { ['café-modifié.jpg'.normalize('NFD')]: ['café.jpg.json', 'edited'], 'Noël à la plage.jpg': ['Noël à la plage.jpg.json'.normalize('NFD'), 'exact'] } },
  // R6
  { rule: 'R6', name: 'title without extension', sidecars: ['20030616.json', '27_06_12 - 2.json'], expect: { '20030616.jpg': ['20030616.json', 'no-extension'], '27_06_12 - 2.jpg': ['27_06_12 - 2.json', 'no-extension'] } },
  { rule: 'R6', name: 'title without extension, with a counter', sidecars: ['2013-12-23.supplemental-metadata(1).json'], expect: { '2013-12-23(1).jpg': ['2013-12-23.supplemental-metadata(1).json', 'no-extension'] } },
  { rule: 'R6', name: 'a title without extension fits two files: no guess', sidecars: [['IMG_6.json', 'IMG_6']], expect: { 'IMG_6.jpg': null, 'IMG_6.png': null } },
  { rule: 'R6', name: 'title with / replaced by _', sidecars: [['27_06_12 - 1.mov.json', '27/06/12 - 1']], expect: { '27_06_12 - 1.mov': ['27_06_12 - 1.mov.json', 'exact'] } },
  { rule: 'R6', name: 'title repeating .json (IG #390)', sidecars: [['image000000.gif.json', 'image000000.gif.json']], expect: { 'image000000.gif': ['image000000.gif.json', 'exact'] } },
  { rule: 'R3/R6', name: 'a JSON clipped short of 46 is found through its title', sidecars: [[`${LONG_TITLE.slice(0, 40)}.json`, LONG_TITLE]], expect: { [LONG_MEDIA]: [`${LONG_TITLE.slice(0, 40)}.json`, 'title'] } },
  { rule: 'R2.6/R6', name: 'two namings of one long title: the 2024+ one, through the title', sidecars: [[`${LONG_TITLE.slice(0, 46)}.json`, LONG_TITLE], [`${LONG_TITLE}.supplemental-metadata.json`, LONG_TITLE]], expect: { [LONG_MEDIA]: [`${LONG_TITLE}.supplemental-metadata.json`, 'title'] } },
  { rule: 'R6', name: 'a null title is an unknown title', sidecars: [{ name: 'IMG_8.jpg.json', title: null }], expect: { 'IMG_8.jpg': ['IMG_8.jpg.json', 'exact'] } },
  { rule: 'R3/R6', name: 'timelinize: titles longer than both names', sidecars: [['abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqr.json', 'abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqrst-1.jpg'], ['abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqr(1).json', 'abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqrst-2.jpg']], expect: { 'abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqrs.jpg': ['abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqr.json', 'title'], 'abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqrs(1).jpg': ['abcdefghijklmnopqrstu-vwxyzabcde-fghijklmnopqr(1).json', 'title'] } },
  // R7
  { rule: 'R7', name: 'iOS live photo', sidecars: ['IMG_4573.HEIC.json'], expect: { 'IMG_4573.HEIC': ['IMG_4573.HEIC.json', 'exact'], 'IMG_4573.MP4': ['IMG_4573.HEIC.json', 'live-photo'] } },
  { rule: 'R7', name: 'live photo with the 2024+ naming (NEO)', sidecars: ['IMG_2367.HEIC.supplemental-metadata.json'], expect: { 'IMG_2367.MP4': ['IMG_2367.HEIC.supplemental-metadata.json', 'live-photo'] } },
  { rule: 'R7', name: 'live photo .MOV with its own JSON keeps it', sidecars: ['IMG_1767.HEIC.json', 'IMG_1767.MOV.json'], expect: { 'IMG_1767.HEIC': ['IMG_1767.HEIC.json', 'exact'], 'IMG_1767.MOV': ['IMG_1767.MOV.json', 'exact'] } },
  { rule: 'R7', name: 'Samsung motion photo .jpg + .MP4', sidecars: ['20231227_152817.jpg.json'], expect: { '20231227_152817.jpg': ['20231227_152817.jpg.json', 'exact'], '20231227_152817.MP4': ['20231227_152817.jpg.json', 'live-photo'] } },
  { rule: 'R7', name: 'live photo with counters', sidecars: ['IMG_1.HEIC.json', 'IMG_1.HEIC(1).json'], expect: { 'IMG_1.MP4': ['IMG_1.HEIC.json', 'live-photo'], 'IMG_1(1).MP4': ['IMG_1.HEIC(1).json', 'live-photo'] } },
  { rule: 'R7', name: 'two possible photos: no guess', sidecars: ['IMG_2.HEIC.json', 'IMG_2.JPG.json'], expect: { 'IMG_2.MOV': null } },
  { rule: 'R7', name: 'Pixel .MP part', sidecars: ['PXL_20230518_103349822.MP.jpg.json'], expect: { 'PXL_20230518_103349822.MP.jpg': ['PXL_20230518_103349822.MP.jpg.json', 'exact'], 'PXL_20230518_103349822.MP': ['PXL_20230518_103349822.MP.jpg.json', 'motion-part'] } },
  { rule: 'R7', name: 'Pixel .MP~2 part', sidecars: ['PXL_20210102_221126856.MP~2.jpg.json'], expect: { 'PXL_20210102_221126856.MP~2': ['PXL_20210102_221126856.MP~2.jpg.json', 'motion-part'] } },
  { rule: 'R7', name: 'Pixel .MP~2 part of an unedited photo', sidecars: ['PXL_20210102_221126857.MP.jpg.json'], expect: { 'PXL_20210102_221126857.MP~2': ['PXL_20210102_221126857.MP.jpg.json', 'motion-part'] } },
  { rule: 'R7', name: 'MVIMG video parts', sidecars: ['MVIMG_20191230_232926.jpg.supplemental-metadat.json'], expect: { 'MVIMG_20191230_232926.jpg': ['MVIMG_20191230_232926.jpg.supplemental-metadat.json', 'supplemental'], MVIMG_20191230_232926: ['MVIMG_20191230_232926.jpg.supplemental-metadat.json', 'motion-part'], 'MVIMG_20191230_232926.mp4': ['MVIMG_20191230_232926.jpg.supplemental-metadat.json', 'motion-part'] } },
  // R10: what the caller passes is up to it; a name alone that is not a sidecar pairs with nothing.
  { rule: 'R10', name: 'unrelated files and JSON', sidecars: ['print-subscriptions.json', 'IMG_3.jpg.json'], expect: { 'IMG_3.jpg': ['IMG_3.jpg.json', 'exact'], 'notes.txt': null, 'IMG_4.jpg': null } },
];

describe('matchDirectory', () => {
  it.each(CASES)('$rule $name', ({ sidecars, expect: expected }) => {
    expect(run(Object.keys(expected), sidecars)).toEqual(expected);
  });

  it('returns indexes into the arrays as given, not normalised', () => {
    const media = ['x.txt', 'Noël.jpg'.normalize('NFD')];
    const sidecars = [{ name: 'other.json' }, { name: 'Noël.jpg.json' }];
    expect(matchDirectory(media, sidecars)).toEqual([{ media: 1, sidecar: 1, rule: 'exact' }]);
  });

  it('names every rule it can return', () => {
    const used = new Set(CASES.flatMap((c) => Object.values(c.expect).flatMap((e) => (e ? [e[1]] : []))));
    expect([...used].sort()).toEqual([...MATCH_RULES].sort());
  });

  it('matches a 10,000-file directory from one index', () => {
    const media: string[] = [];
    const jsons = new Set<string>();
    const expected = new Map<string, string | null>();
    const add = (m: string, json: string | null) => {
      media.push(m);
      expected.set(m, json);
      if (json) jsons.add(json);
    };
    for (let i = 0; media.length < 10_000; i++) {
      const long = `${i} summer holiday by the sea with all the family and friends.jpg`;
      switch (i % 10) {
        case 0: add(`IMG_${i}.jpg`, `IMG_${i}.jpg.json`); break;
        case 1: add(`PXL_${i}.jpg`, `PXL_${i}.jpg.supplemental-metadata.json`); break;
        case 2: add(`Screenshot_2023_com.app_${i}.png`, `Screenshot_2023_com.app_${i}.png.supplemental-metadata`.slice(0, 46) + '.json'); break;
        case 3: add(`DSC_${i}(1).JPG`, `DSC_${i}.JPG(1).json`); break;
        case 4: add(`${long.slice(0, 47)}.jpg`, `${long.slice(0, 46)}.json`); break;
        case 5: add(`edit_${i}.jpg`, `edit_${i}.jpg.json`); add(`edit_${i}-edited.jpg`, `edit_${i}.jpg.json`); break;
        case 6: add(`IMG_L${i}.HEIC`, `IMG_L${i}.HEIC.json`); add(`IMG_L${i}.MP4`, `IMG_L${i}.HEIC.json`); break;
        case 7: add(`scan ${i}.jpg`, `scan ${i}.json`); break;
        case 8: add(`PXL_M${i}.MP.jpg`, `PXL_M${i}.MP.jpg.json`); add(`PXL_M${i}.MP`, `PXL_M${i}.MP.jpg.json`); break;
        default: add(`orphan_${i}.jpg`, null);
      }
    }
    media.sort();
    const sidecars = [...jsons].sort();
    const started = performance.now();
    const matches = matchDirectory(media, sidecars.map((name) => ({ name })));
    const ms = performance.now() - started;
    console.log(`matched ${media.length} media against ${sidecars.length} sidecars in ${ms.toFixed(0)} ms`);
    const got = new Map<string, string | null>(media.map((m) => [m, null]));
    for (const m of matches) got.set(media[m.media]!, sidecars[m.sidecar]!);
    expect(got).toEqual(expected);
  });
});
