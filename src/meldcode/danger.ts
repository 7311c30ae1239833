/**
 * Danger in words: does a message describe danger *now* (violence happening, a weapon, a threat to life, suicide
 * risk, a child alone and in danger)? Pure and offline; used on every message at every point of a conversation,
 * before anything else. Past tense ("vorige week sloeg hij") is not an emergency; doubt ("weet ik niet",
 * "misschien") only counts as danger where the acute question was asked (see `acuteAnswer`).
 *
 * Interface fixed; the rules are refined in one place (this file) and measured by test/meldcode/danger.test.ts
 * (tuning table test/meldcode/danger-table.txt, held-out tables danger-heldout.txt and danger-heldout-2.txt, never
 * tuned on; `npm run eval:danger`).
 *
 * How it decides (recall on 'now' comes first; a false alarm costs one extra message, a miss can cost a life):
 * 1. Normalise (case, accents, punctuation; `normalise` from nlu) and undo phone typing: "n mes" → "een mes",
 *    "m"/"em" → "hem", "mn" → "mijn", "ff" → "even", letters typed three or more times ("slaaat") → two.
 * 2. Remove what is explicitly denied ("geen mes", "niemand is in gevaar", "ze wil niet dood") and everyday idioms
 *    that share a word with danger ("ik sla de vraag over", "dat slaat nergens op", "de school slaat alarm",
 *    "schiet op", "onder het mes", "mes en vork", "het wapen van de gemeente", "dood van de stress").
 * 3. Recognise kinds: geweld, wapen, levensgevaar, suicide, kind-alleen, noodhulp. A knife in a kitchen/craft
 *    context (kookles, keukenla, vork, handvaardigheid, ...) or a weapon in a story (boek, film) only counts when someone holds, grabs or threatens with it.
 *    Screaming counts when it is heard ("ik hoor gillen") or is a cry for help, not children shouting in the playground.
 * 4. Time: an explicit emergency (112, "help!", "bel de politie", "kom snel") or a now-word (nu, op dit moment,
 *    net, zojuist, vanavond, morgen, ik hoor, ik zie, ...) makes it 'now'; otherwise a past-time phrase (vorige week,
 *    gisteren, jaren geleden, vroeger, ooit, ...) or a past-tense verb (sloeg, dreigde, had, werd, ...) makes it
 *    'past'; otherwise hitting or a child alone described as a pattern or a suspicion ("slaat haar vaak",
 *    "ik vermoed dat hij slaat") is 'past' (danger described, not now: the normal consultation); everything else
 *    that was recognised is 'now' — including doubt about a weapon, a threat or suicide ("misschien heeft hij een
 *    wapen", "ik denk dat ze dood wil").
 *
 * Decisions: a bare "help" or "help?" is the bot's help command (see nlu), so 'none'; "help!", "HELP", "help help",
 * "help nu", "ff snel help", a message that opens with "help" or "help" next to other danger is 'now' (not "help me
 * met/bij ...", "kun je me helpen"); "help" in the middle of a sentence without any of that is the noun ("when help
 * does not lead to results", "typ help voor uitleg"), so 'none'. "ja, nu" is 'now'.
 * Doubt alone ("weet ik niet", "misschien", "ik twijfel") is 'none' here: the acute question treats it as danger.
 * 'past' also covers "danger described but not happening now" (a pattern or a suspicion of hitting).
 */
import { normalise } from './nlu';

export type DangerLevel = 'now' | 'past' | 'none';
export type DangerKind = 'geweld' | 'wapen' | 'levensgevaar' | 'suicide' | 'kind-alleen' | 'noodhulp';
export interface DangerResult {
  level: DangerLevel;
  /** Which kinds of danger were recognised (for tests and logs; never the text itself). */
  kinds: DangerKind[];
}

/** Longest text looked at: about the Teams message limit (~28 KB), so danger at the end of a long message is still
 * seen; bounds the time per call (about 2 ms at this length, measured in the test). */
const MAX_CHARS = 28_000;

/** ` (a|b|c) ` on normalised text (single spaces, padded). Alternatives are regex fragments. */
const words = (...alts: string[]) => new RegExp(` (?:${alts.join('|')}) `);
const W = '[a-z0-9-]+'; // one normalised word
const upTo = (n: number) => `(?:${W} ){0,${n}}`; // up to n words in between (with their trailing space)

const SHORTHAND: Array<[RegExp, string]> = [
  [/([a-z])\1{2,}/g, '$1$1'],
  [/ n (?=[a-z])/g, ' een '],
  [/ (?:m|em|hm) /g, ' hem '],
  [/ (?:mn|m n|mijn) /g, ' mijn '],
  [/ (?:zn|z n) /g, ' zijn '],
  [/ (?:ff|effe|efkes) /g, ' even '],
  [/ (?:k) /g, ' ik '],
  [/ (?:t) /g, ' het '],
  [/ (?:nuu|nuuu|nw) /g, ' nu '],
  [/ (?:heelp|hlp|hepl|hulp hulp) /g, ' help '],
];

/** Explicit denials and everyday idioms: removed before recognising danger. */
const REMOVE: RegExp[] = [
  // denials
  / geen (?:enkel |echt )?(?:mes|messen|wapen|wapens|pistool|vuurwapen|geweer|bijl|gevaar|acuut gevaar|levensgevaar|direct gevaar)(?= )/g,
  / (?:niemand|niet|nooit) (?:[a-z]+ )?(?:in )?(?:acuut |direct |levens)?gevaar(?= )/g,
  / (?:wil|wilde|willen) (?:[a-z]+ )?niet dood(?= )/g,
  / niet dood (?:wil|wilde|willen)(?= )/g,
  / (?:is|zijn|lijkt) (?:nu )?(?:weer )?veilig(?= )/g,
  // idioms with "slaan"
  / (?:sla|slaan|sloeg|sloegen) (?:(?:de|deze|die|dit|dat|het|even|maar|ik|we|wij|nu|vraag|vragen|stap|[0-9]+) ){1,4}over(?= )/g,
  // "sla dit op", "hoe sla ik een consultatie op" (not: "slaat haar op haar hoofd", "slaat er op los")
  new RegExp(` (?:sla|slaat|slaan) (?:(?!(?:haar|hem|ze|hen|mij|me|jou|je|kind|kinderen|kindje|moeder|vader|vrouw|man|baby|er|nu|net|weer|hard|keihard) )${W} ){0,4}op(?= )(?! los )`, 'g'),
  / (?:klok|kerkklok|bel|hart) (?:slaat|sloeg)(?= )/g,
  / (?:slaat|sloeg) (?:echt |helemaal |toch )?(?:nergens|ergens|niet) op(?= )/g,
  / (?:dit|dat|het|wat|die|deze) (?:slaat|sloeg) (?:[a-z]+ )?op(?= )/g,
  / (?:slaat|sloeg|slaan|sla) alarm(?= )/g,
  / alarm (?:slaan|geslagen)(?= )/g,
  / (?:slaat|sloeg|slaan|sla) (?:[a-z]+ )?(?:de |het )?(?:deur|raam|boek|bladzijde|pagina) (?:dicht|open|om)(?= )/g,
  / (?:slaat|sloeg|slaan|sla) (?:een |de )?(?:bal|brug|munt|spijker)(?= )/g,
  // idioms with "schieten", "mes", "wapen", "dood"
  / (?:schiet|schieten|schoot) (?:het |niet |al |toch |maar |nou |wel |lekker |goed )*op(?= )(?! (?:haar|hem|ze|hen|mij|me|mensen|de|het|iemand|kinderen|jou|je|ons|iedereen|een|zijn|mijn) )/g,
  / (?:schiet|schoot) (?:me|mij|je|hem|haar) (?:[a-z]+ )?te binnen(?= )/g,
  / (?:schiet|schieten|schoot) tekort(?= )/g,
  / onder het mes(?= )/g,
  / mes (?:en|of) vork(?= )/g,
  / (?:mes )?(?:dat |die )?(?:snijdt )?aan twee kanten(?: snijdt)?(?= )/g,
  / wapen van (?:de |het )?(?:gemeente|stad|provincie|dorp|nederland|koninkrijk|familie)(?= )/g,
  / (?:gaat |ga |gingen )?dood (?:gaat |ga )?van (?:de |het )?(?:stress|honger|verveling|schrik|dorst|kou|lachen|drukte)(?= )/g,
  / (?:schrok|schrik|lach|lachte|verveel|verveelde) (?:me|mij|je|zich) dood(?= )/g,
  / in nood(?:geval)? (?:bel|kunt|kun|kan)(?= )/g, // "in noodgeval kunt u ... bellen" (information, not an emergency)
  // calming clauses: "het gaat nu beter", "nu is het rustig", "ze is nu veilig" (the 'nu' there is no danger now)
  / (?:gaat|ging) (?:het )?nu (?:weer )?(?:beter|goed)(?= )/g,
  / nu (?:is|zijn) (?:het|ze|hij|zij|alles|iedereen) (?:weer )?(?:rustig|veilig|weg|goed)(?= )/g,
  / (?:is|zijn) (?:het |ze |hij |zij )?nu (?:weer )?(?:rustig|weg)(?= )/g,
];

const BENIGN_CONTEXT = words(
  'nep', 'speelgoed', 'van karton', 'van papier', 'poppenhoek', 'verkleed', 'verkleedkleren', 'carnaval',
  'in het boek', 'in een boek', 'in de film', 'in een film', 'in het verhaal', 'in de serie', 'in het toneelstuk', 'voorleesboek',
  'kookles', 'koken', 'kookt', 'keukenla', 'vork', 'vorken', 'handvaardigheid', 'boter', 'brood', 'groente', 'fruit', 'taart', 'appel', 'snijplank', 'recept', 'knutselen');
const HOLDING = words(`pakt ${upTo(2)}(?:mes|messen)`, 'gepakt', 'pakte', 'zwaait', 'zwaaide', 'dreigt', 'dreigde', 'richt', 'steekt', 'stak', `(?:staat|loopt|komt|stond|liep) met ${upTo(1)}(?:mes|messen)`, 'bedreigt', 'bedreigd', 'op haar keel', 'op zijn keel', 'op de keel');
/** An emergency word in a lesson or an exercise ("we hebben geoefend met 112 bellen"). */
const DRILL = words('geoefend', 'oefenen', 'oefening', 'in de les', 'les over', 'voorlichting', 'lesje', 'spreekbeurt');
const KNIFE_ONLY = /^ (?:mes|messen) $/;

const PERSON = `(?:haar|hem|ze|zij|hen|mij|me|je|jou|ons|het kind|de kinderen|de baby|moeder|vader|mama|papa|mijn [a-z]+|zijn [a-z]+|de (?:vrouw|man|moeder|vader|jongen|leerling|peuter|kleuter|buurvrouw|buurman)|het meisje)`;
const CHILD = `(?:baby|babys|baby s|babytje|peuter|peuters|kleuter|kleuters|dreumes|zuigeling|kind|kindje|kinderen|kindjes|jongetje|meisje|zoontje|dochtertje|broertje|zusje|child|children|kid|kids|toddler)`;
const ALONE_WHERE = `(?:thuis|in de woning|woning|in bed|in bad|op de kamer|gelaten|achtergelaten|achtergebleven|op straat|straat|weg|de weg|snelweg|langs|auto|in de auto|buiten|opgesloten|nachts|s nachts|zwerft|zwerven|rondlopen|loopt|staat|zit|ligt|in huis|op de stoep|bij het water|aan het water)`;

const KIND_PATTERNS: Array<[DangerKind, RegExp]> = [
  [
    'geweld',
    words(
      // "sla" only with a person ("hij sla haar"): "sla" is also lettuce and "ik sla de vraag over"
      'slaat', 'slaan', `sla ${PERSON}`, 'geslagen', 'slaad', 'slaadt', 'slaagt (?:haar|hem|ze|mij|me)', 'schopt', 'schoppen', 'geschopt', 'trapt', 'getrapt',
      'stompt', 'stompen', 'gestompt', 'mept', 'meppen', `duwt ${PERSON}`, `knijpt ${PERSON}`, 'mishandelt', 'mishandeld', 'mishandelen', 'misbruikt',
      'misbruiken', 'verkracht', 'verkrachten', 'aanrandt', `randt ${PERSON} aan`, 'aangerand', 'vecht', 'vechten', 'gevochten', 'verwond', 'verwondt',
      'aangevallen', `valt ${PERSON} aan`,
      'sloeg', 'sloegen', 'schopte', 'schopten', 'trapte', 'mishandelde', 'misbruikte', 'verkrachtte', 'vocht', 'vochten', 'aanviel',
      'ingooit', 'ingooien', 'ingegooid', 'intrapt', 'intrappen', 'ingetrapt', 'inslaat', 'ingeslagen', 'inbreekt',
      `(?:hoor|horen|hoort) ${upTo(4)}(?:gillen|gil|gegil|gillend|schreeuwen|geschreeuw|hulpgeroep|klappen|slaan|om hulp|help roepen|help|huilen)`,
      `(?:gilt|gillen|schreeuwt|schreeuwen|roept|roepen|gilde|schreeuwde|riep) (?:om hulp|help)`, 'hulpgeroep',
      `laat ${PERSON} niet (?:gaan|weg|los|vertrekken)`, `houdt ${PERSON} vast`, `houdt ${PERSON} ${upTo(3)}(?:gevangen|opgesloten)`, `sluit ${PERSON} ${upTo(3)}op`, `${PERSON} ${upTo(2)}vastgehouden`, 'opgesloten',
      `(?:gooit|gooide|smijt|smeet) ${upTo(3)}(?:naar|stoel|stoelen|glas|glazen|borden|servies|spullen|fles|flessen|meubels)`, 'door het lint', 'buiten zinnen',
      'vechtpartij', 'kloppartij', 'being (?:hit|beaten|attacked|abused|raped)', 'beaten', `snijdt (?:haar|hem|ze)`, 'slaat alles kapot', 'sloopt',
      `durft ${upTo(2)}niet (?:meer )?(?:naar huis|thuis)`, `durft niet ${upTo(1)}naar huis`,
      `schudt ${upTo(3)}(?:baby|kind|kindje|zuigeling)`, 'door elkaar geschud', `(?:krijgt|kreeg|krijgen|kregen) ${upTo(1)}slaag`, 'sleurt', 'sleept (?:haar|hem|ze)',
      'grijpt (?:haar|hem|ze)', 'gegrepen', `aan (?:haar|zijn|de) haren`,
      'hitting', 'beating', 'beats', 'hits', 'hit', 'attacking', 'attacked', 'raping', 'abusing', 'kicking', 'punching', 'screaming for help',
    ),
  ],
  [
    'wapen',
    words(
      'mes', 'messen', 'pistool', 'pistolen', 'revolver', 'vuurwapen', 'vuurwapens', 'wapen', 'wapens', 'geweer', 'geweren', 'jachtgeweer', 'bijl',
      'hakbijl', 'knuppel', 'honkbalknuppel', 'machete', 'zwaard', 'boksbeugel', 'stiletto', 'vlindermes', 'keukenmes', 'broodmes',
      'zakmes', 'stanleymes', 'mesje', 'vleesmes', 'slagersmes', 'jachtmes', 'springmes', 'kapmes', 'dolk', 'taser', 'stroomstootwapen', 'ploertendoder',
      'steekpartij', 'schietpartij', 'neergestoken', 'doodgestoken', 'gestoken', 'steekt (?:haar|hem|ze|mij|me|iemand|hen|op|naar|met)', 'steken (?:met|naar)', 'stak',
      'schiet', 'schieten', 'geschoten', 'neerschieten', 'doodschieten', 'schoten', 'schoot',
      'knife', 'knives', 'gun', 'guns', 'weapon', 'pistol', 'rifle', 'stabbed', 'stabbing', 'shooting', 'shot',
    ),
  ],
  [
    'levensgevaar',
    words(
      'vermoord', 'vermoordt', 'vermoorden', 'vermoordde',
      'dood(?:steek|steekt|steken|stak|schiet|schieten|schoot|sla|slaat|slaan|sloeg|maak|maakt|maken|trap|trapt|trappen|knijp|knijpt|knijpen|schop|schopt|rijd|rijdt|rijden)', 'dood (?:te )?maken', 'doodmaken', 'doodmaakt', 'doodmaak',
      `maakt ${upTo(2)}dood`, 'dood (?:te )?schieten', 'dood (?:te )?steken', 'ombrengen', 'brengt (?:haar|hem|ze) om',
      'wurg', 'wurgt', 'wurgen', 'gewurgd', 'wurging', 'verwurging', 'wurgde', 'verstikt', 'verstikken', 'smoort',
      `knijpt ${upTo(3)}keel`, `keel ${upTo(1)}(?:dicht|dichtknijpt|dichtgeknepen)`, `in (?:haar|zijn|de) keel ${upTo(1)}(?:knijpt|kneep|geknepen)`,
      'afmaken', 'afmaakt', `maakt? (?:haar|hem|ze|jou|je|iedereen|ons|hen|jullie) af`, 'met de dood', 'doodsbedreiging[a-z]*', 'doodsbedreigd',
      `(?:bij|naar|om|aan) (?:de|haar|zijn) keel`, `dreigt ${upTo(6)}(?:te rijden|te springen|te verdrinken|te ontvoeren|mee te nemen)`, 'ontvoer[a-z]*', 'ontvoerd',
      `(?:wordt|worden|zal|gaat|gaan|moet|moeten) ${upTo(3)}(?:uitgehuwelijkt|uithuwelijken|besneden|besnijden|trouwen)`, `(?:uitgehuwelijkt|besneden) (?:wordt|worden)`,
      `laten (?:besnijden|trouwen)`, `meegenomen ${upTo(3)}(?:tegen (?:haar|zijn) zin|naar het buitenland)`, 'achtergelaten in het buitenland', 'ontvoering',
      'beweegt niet', `beweegt ${upTo(1)}niet meer`, 'flauwgevallen', `ademt ${upTo(1)}(?:raar|moeilijk|zwaar|nauwelijks)`, 'going to (?:kill|hurt)',
      'bewusteloos', 'niet aanspreekbaar', `reageert (?:niet|nergens) meer`, `reageert nergens ${upTo(1)}op`, `bloed ${upTo(1)}uit`, 'strangled', 'choked', 'ademt niet', `ademt ${upTo(1)}niet meer`, 'krijgt geen adem', 'geen lucht', 'bloedt', 'bloeden', 'veel bloed', 'ligt in bloed',
      `in brand ${upTo(1)}(?:steken|steekt|gestoken)`,
      `iets ${upTo(1)}aan (?:te )?(?:doen|doet)`, 'iets aandoen', 'iets aandoet', `doet ${upTo(3)}iets aan`,
      `(?:in|is) ${upTo(1)}(?:acuut |direct |levens)?gevaar`, 'acuut gevaar', 'levensgevaar', 'levensbedreigend',
      `(?:weet|weten|twijfel|twijfelen) ${upTo(2)}(?:niet )?of ${upTo(3)}veilig`, 'niet veilig nu', 'nu niet veilig',
      'kill (?:her|him|them|you|me|everyone|us)', 'murder', 'murders', 'strangling', 'strangles', 'choking', 'unconscious', 'bleeding',
    ),
  ],
  [
    'suicide',
    new RegExp(
      ' (?:zelfmoor[dt][a-z]*|zelfmord[a-z]*|suicid[a-z]*|zelfdoding|overdosis|overdose|' +
        `(?:slikt|slikte|neemt|nam|ingenomen|geslikt) ${upTo(2)}(?:pillen|medicijnen|tabletten|slaappillen)|` +
        `(?:wil|wilde|willen|wou) ${upTo(2)}dood|dood ${upTo(1)}(?:wil|wilde|willen)|` +
        `niet meer ${upTo(1)}(?:leven|zijn)|er niet meer ${upTo(2)}zijn|` +
        `eind[e]? aan ${upTo(2)}(?:leven|maken)|van het leven ${upTo(1)}beroven|` +
        `(?:zich|zichzelf|mezelf) ${upTo(2)}(?:ophangen|ophangt|verhangen|verhangt|van kant maken|doodmaken)|`+
        `zichzelf ${upTo(2)}(?:aandoen|aandoet|aan te doen|doodmaken|ophangen|snijden|snijdt|verwonden|doden|ombrengen)|afscheidsbrie[fv][a-z]*|` +
        `(?:dak|brug|flat|balkon|raam|vensterbank|spoor|trein|rand) ${upTo(6)}(?:springen|springt)|` +
        `(?:springen|springt) ${upTo(3)}(?:van|voor|uit) (?:het|de|een) (?:dak|brug|flat|balkon|raam|trein)|` +
        `pillen ${upTo(2)}(?:geslikt|ingenomen|slikken|slikt|innemen)|` +
        `(?:staat|loopt|ligt) op (?:het spoor|de rails)|(?:van|vanaf|op) (?:de|het|een) (?:brug|flat|dak) ${upTo(1)}(?:springen|springt|staat)|` +
        'wants? to die|kill (?:himself|herself|myself|themselves)|hurt (?:himself|herself|myself|themselves)|end (?:his|her|my) life) ',
    ),
  ],
  [
    'kind-alleen',
    new RegExp(
      ` (?:${CHILD} (?:${upTo(8)}alleen ${upTo(2)}${ALONE_WHERE}|${upTo(4)}(?:home alone|alone at home|left alone|zonder toezicht|in de steek gelaten))|` +
        `alleen ${upTo(1)}(?:thuis|in huis|op straat|in de auto|gelaten|achtergelaten) ${upTo(4)}${CHILD}) `,
    ),
  ],
  [
    'noodhulp',
    words(
      '112', 'bel de politie', 'bel politie', 'politie bellen', 'ambulance', 'noodgeval', 'nood', 'spoed', 'sos', 'emergency', 'call the police',
      'kom snel', 'snel komen', 'kom nu', `kan ${upTo(1)}iemand ${upTo(1)}komen`, 'stuur iemand', `kom ${upTo(1)}(?:hier|langs) ${upTo(1)}(?:nu|snel)`, 'help help', 'help nu', 'help snel', 'snel help', 'nu help', 'help me nu', 'hulp nu', 'nu hulp',
    ),
  ],
];

/** Forms of violence named as a topic (also the policy's form labels): danger only with a sign of now or a threat. */
const TOPIC_THREAT = words('eerwraak', 'familiedrama', 'huwelijksdwang', 'gedwongen huwelijk', 'uitgehuwelijkt', 'vgv', 'genitale verminking', 'besnijdenis', 'meisjesbesnijdenis', 'besneden');
const THREAT_WORDS = words('bang', 'dreigt', 'dreiging', 'dreigend', 'gaat', 'moet', 'wordt', 'zal', 'vreest', 'vrees');
/** A tool used as a weapon: only with a threat or violence ("zwaait met een hamer naar moeder", not "de hamer bij techniek"). */
const TOOL = words(`(?:met|pakt|pakte|zwaait|heeft|houdt) ${upTo(2)}(?:hamer|schaar|stok|koevoet|ijzeren staaf|fles|riem|stoel)`);
const THREAT = words('dreigt', 'dreigend', 'dreigde', 'zwaait', 'bedreigt', 'te steken', 'te slaan', 'te doden', 'te vermoorden', `naar ${PERSON}`, `voor ${PERSON}`);
/** A child alone in more places than ALONE_WHERE lists, minus the ordinary ("speelt alleen", "alleen maar", "niet alleen"). */
const CHILD_ALONE_BROAD = new RegExp(` ${CHILD} ${upTo(8)}alleen `);
const ALONE_ORDINARY = new RegExp(
  ' (?:(?:speelt|spelen|speel|werkt|werken|fietst|fietsen|leest|lezen|eet|eten|tekent|kleurt) alleen|' +
    'alleen (?:maar|met|naar school|op de fiets|spelen|werken|fietsen|lezen|eten|in de klas|in de poppenhoek|in de zandbak|in de groep|een|de|het)|' +
    'niet alleen|alleen naar) ',
);
const PARENTS_GONE = new RegExp(` (?:ouders|moeder|vader|mama|papa) (?:is|zijn) ${upTo(3)}(?:weg|vertrokken|verdwenen|onvindbaar|niet thuis|niet bereikbaar) `);
const ANY_CHILD = new RegExp(` ${CHILD} `);

/** Anything but the bot's help command ("help", "help?", "help me met de meldcode"). */
const HELP_WORD = / help /;
const HELP_REQUEST = / (?:kun|kan|kunt|can|could|wil|wilt|will|would) (?:je|jij|u|you) (?:me |mij |ons |even )*help /;
const HELP_WITH = new RegExp(` (?:help ${upTo(3)}(?:met|bij|over|with|hoe|wat|waar)|(?:ik|we|wij|i) help)(?= )`);
const NOW_ANSWER = /^ (?:ja )?(?:nu|nu nu|ja nu|nu ja|ja nu ja) $/;

const NOW_MARKERS = words(
  'nu', 'nou', 'op dit moment', 'momenteel', 'op het moment', 'net', 'zojuist', 'zo net', 'zonet', 'juist nu', 'vanavond', 'vannacht', 'vanmiddag',
  'straks', 'morgen', 'binnenkort', `(?:volgende|komende|deze) (?:week|maand|zomer|vakantie|zomervakantie|weekend|dagen)`, `al sinds`, `sinds (?:gisteren|gisteravond|vannacht|vanochtend|vanmorgen|een dag|dagen|uren)`,
  `al (?:uren|dagen|een dag|twee dagen|de hele dag|de hele nacht)`, 'nog steeds', 'nog altijd', 'ik hoor', 'hoor ik', 'ik zie', 'zie ik', 'we horen', 'we zien', 'kom snel', 'snel',
  'right now', 'now', 'tonight', 'currently', 'at the moment', 'just now',
);
const PAST_MARKERS = new RegExp(
  ' (?:(?:vorige|vorig|afgelopen) [a-z]+|gisteren|gisteravond|gisternacht|gistermiddag|gistermorgen|eergisteren|vroeger|destijds|toen|ooit|' +
    'in het verleden|geleden|(?:dag|dagen|week|weken|maand|maanden|jaar|jaren) terug|(?:in|tijdens) de [a-z]*vakantie|in (?:19|20)[0-9]{2}|op (?:haar|zijn|mijn|hun) [a-z]+(?:de|ste)|als (?:kind|baby|peuter|kleuter|tiener|meisje|jongen)|in (?:haar|zijn) vorige relatie|last [a-z]+|ago|used to|yesterday|years? before) ',
);
const PAST_VERBS = words(
  'sloeg', 'sloegen', 'schopte', 'schopten', 'trapte', 'trapten', 'stak', 'mishandelde', 'misbruikte', 'verkrachtte', 'vocht', 'vochten', 'dreigde',
  'dreigden', 'wilde', 'wilden', 'probeerde', 'probeerden', 'werd', 'werden', 'was', 'waren', 'had', 'hadden', 'wurgde', 'gooide', 'vermoordde',
  'richtte', 'zwaaide', 'aanviel', 'schoot', 'threatened', 'tried', 'wanted', 'was', 'were', 'had', 'attacked',
);
/** Present-tense danger verbs: with one of these, a past-tense verb elsewhere ("hij was dronken") does not make it past. */
const PRESENT_DANGER = words(
  'slaat', 'slaan', 'sla', 'slaad', 'schopt', 'trapt', 'stompt', 'mept', 'duwt', 'knijpt', 'bijt', 'mishandelt', 'vecht',
  'vechten', 'dreigt', 'bedreigt', 'wurgt', 'steekt', 'schiet', 'gooit', 'smijt', 'zwaait', 'richt', 'wordt', 'worden', 'bloedt', 'ademt', 'wil',
  'willen', 'houdt', 'sluit', 'slikt', 'heeft (?:een|het|zijn|nog)', 'staat met', 'loopt met', 'is (?:bewusteloos|suicidaal|alleen)',
  'has', 'wants', 'hits', 'beats', 'being', 'hitting', 'beating', 'shooting', 'stabbing', 'attacking', 'choking', 'strangling',
);
const PATTERN_OR_SUSPICION = words(
  'regelmatig', 'vaak', 'vaker', 'soms', 'wel eens', 'weleens', 'af en toe', 'altijd', `elke ${W}`, 'iedere [a-z]+', 'vermoed', 'vermoeden',
  'denk dat', 'denk ik', 'zou', 'zouden', `weet ${upTo(2)}niet of`, 'mogelijk', 'misschien', 'often', 'sometimes',
);

/**
 * Reported speech in the past ("een leerling vertelde dat zijn vader hem slaat", "ze zei dat ..."): hitting or a child
 * left alone that someone told about earlier, without a sign that it is happening now, is a disclosure for the consultation (whose
 * first question is the acute one), not a 112 emergency. Weapons, threats to life and suicide stay 'now'.
 */
const REPORTED = words('vertelde', 'vertelden', 'verteld', 'zei dat', 'zeiden dat', 'gaf aan', 'liet weten', 'gaf toe', 'told', 'said that');

/** Recognise danger in one message. Pure, synchronous; a few microseconds per call (see the test for the measurement). */
export function detectDanger(text: string): DangerResult {
  const raw = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  let n = normalise(raw);
  if (n.length <= 2) return { level: 'none', kinds: [] };
  for (const [re, by] of SHORTHAND) n = n.replace(re, by);
  for (const re of REMOVE) n = n.replace(re, ' ');

  const kinds: DangerKind[] = [];
  for (const [kind, re] of KIND_PATTERNS) if (re.test(n)) kinds.push(kind);
  if (!kinds.includes('levensgevaar') && TOPIC_THREAT.test(n) && (THREAT_WORDS.test(n) || NOW_MARKERS.test(n))) kinds.push('levensgevaar');
  if (!kinds.includes('wapen') && TOOL.test(n) && (THREAT.test(n) || kinds.includes('geweld') || kinds.includes('levensgevaar'))) kinds.push('wapen');
  if (!kinds.includes('kind-alleen') && ((CHILD_ALONE_BROAD.test(n) && !ALONE_ORDINARY.test(n)) || (PARENTS_GONE.test(n) && ANY_CHILD.test(n)))) {
    kinds.push('kind-alleen');
  }

  // A knife in the kitchen or the craft lesson, or a weapon in a book or film, is not a weapon unless someone holds it or threatens with it.
  if (kinds.length === 1 && kinds[0] === 'wapen' && BENIGN_CONTEXT.test(n) && !HOLDING.test(n) && !KNIFE_ONLY.test(n)) kinds.pop();

  if (kinds.length === 1 && kinds[0] === 'noodhulp' && DRILL.test(n)) kinds.pop();

  // "help": the bot's help command ("help", "help?", "help me met de meldcode") is not an emergency.
  let emergency = kinds.includes('noodhulp');
  if (HELP_WORD.test(n) && !HELP_WITH.test(n) && !HELP_REQUEST.test(n)) {
    const bare = n.trim() === 'help';
    const shouted = /\bhelp\b[^a-z]*!/i.test(raw) || /\bHELP\b/.test(raw);
    // Mid-sentence "help" is mostly the noun ("when help does not lead to results", "typ help voor uitleg"): it only
    // counts when shouted, when the message starts with it ("help, het kind ...") or next to other danger.
    const opening = n.startsWith(' help ') && !bare;
    if (shouted || opening || (kinds.length > 0 && !bare)) emergency = true;
  }
  if (NOW_ANSWER.test(n)) emergency = true;
  if (emergency && !kinds.includes('noodhulp')) kinds.push('noodhulp');
  if (!kinds.length) return { level: 'none', kinds };

  const past = PAST_MARKERS.test(n);
  if (NOW_MARKERS.test(n)) return { level: 'now', kinds };
  if (past) return { level: 'past', kinds };
  if (emergency) return { level: 'now', kinds };
  if (PAST_VERBS.test(n) && !PRESENT_DANGER.test(n)) return { level: 'past', kinds };
  const onlyPatternKinds = kinds.every((k) => k === 'geweld' || k === 'kind-alleen');
  if (onlyPatternKinds && (PATTERN_OR_SUSPICION.test(n) || REPORTED.test(n))) return { level: 'past', kinds };
  return { level: 'now', kinds };
}

/** An answer to "Is er nu iemand in acuut gevaar?": yes, no, or doubt (treated as danger, with an explanation). */
export type AcuteAnswer = 'ja' | 'nee' | 'twijfel';
