/**
 * Word lists used by the name/institution detector. The lists live in ./lexicon/*.json (CC0, written for this
 * project; see ./lexicon/README.md). Everything is lower-cased into Sets once at module load.
 */
import voornamenJson from './lexicon/voornamen.json';
import achternamenJson from './lexicon/achternamen.json';
import stopwoordenJson from './lexicon/stopwoorden.json';
import plaatsenJson from './lexicon/plaatsen.json';

const lower = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));

export const FIRST_NAMES: ReadonlySet<string> = lower(voornamenJson as string[]);
export const SURNAMES: ReadonlySet<string> = lower(achternamenJson as string[]);
/** Capitalised words that are ordinary Dutch words, organisations, languages, nationalities etc. — never a name seed. */
export const STOPWORDS: ReadonlySet<string> = lower((stopwoordenJson as { woorden: string[] }).woorden);
/** Public bodies and services (multi-word, case-sensitive phrases): their names stay readable. */
export const ORGANISATIONS: readonly string[] = (stopwoordenJson as { organisaties: string[] }).organisaties;
/** Place names (municipalities, cities, countries): kept, a gemeente is an allowed generalisation. */
export const PLACES: ReadonlySet<string> = lower(plaatsenJson as string[]);
/**
 * Names that are also frequent Dutch words (e.g. "Ben", "Mag", "Hoop"): not treated as a name at the start of a
 * sentence unless another name part follows.
 */
export const AMBIGUOUS_NAMES: ReadonlySet<string> = lower((stopwoordenJson as { dubbelzinnig: string[] }).dubbelzinnig);
/**
 * First names and surnames that are also ordinary lower-case Dutch words ("roos", "bakker", "merel"): a word written
 * without a capital is only taken as a name when it is not in this list.
 */
export const LOWERCASE_COLLISIONS: ReadonlySet<string> = lower((stopwoordenJson as { kleine_letters: string[] }).kleine_letters);
