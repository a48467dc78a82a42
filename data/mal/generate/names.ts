/**
 * Anime titles (romaji `Name`, `English name`, Japanese `Other name`) and MAL usernames.
 * Titles reproduce the shapes that trip CSV loaders: commas, double quotes, kana and kanji,
 * accented Latin letters.
 */
import type { Rng } from "./random.ts";
import {
  ACCENTED_TITLES,
  LOANWORD_TITLES,
  TITLE_WORDS,
  UNKNOWN,
  USERNAME_PARTS,
} from "./vocabulary.ts";

export interface AnimeTitle {
  name: string;
  english: string;
  other: string;
}

/** Title shapes; the special ones are forced onto at least one anime each (see `titleStyles`). */
export type TitleStyle = "plain" | "comma" | "quoted" | "accented";

const SEQUELS: readonly (readonly [string, string, string])[] = [
  [" 2nd Season", " Season 2", " 第2期"],
  [" Movie", " The Movie", " 劇場版"],
  [" OVA", " OVA", " OVA"],
  [": Kanketsu-hen", ": The Final Chapter", " 完結編"],
  [" Specials", " Specials", " 特別編"],
];

/** Picks a style per anime: mostly plain, with each special style guaranteed at least once. */
export function titleStyles(rng: Rng, count: number): TitleStyle[] {
  const styles: TitleStyle[] = [];
  for (let i = 0; i < count; i++) {
    const x = rng.uniform();
    styles.push(x < 0.03 ? "comma" : x < 0.045 ? "quoted" : x < 0.055 ? "accented" : "plain");
  }
  const forced: TitleStyle[] = ["comma", "quoted", "accented"];
  const slots = rng.sample([...Array(count).keys()], forced.length);
  slots.forEach((slot, k) => (styles[slot] = forced[k]));
  return styles;
}

export class TitleMaker {
  private readonly earlier: AnimeTitle[] = [];

  constructor(private readonly rng: Rng) {}

  make(style: TitleStyle): AnimeTitle {
    const rng = this.rng;
    let title: AnimeTitle;
    if (style === "plain" && this.earlier.length > 0 && rng.chance(0.15)) {
      title = this.sequel(rng.pick(this.earlier));
    } else {
      title = this.fresh(style);
      this.earlier.push(title);
    }
    return {
      name: title.name,
      english: rng.chance(0.45) ? UNKNOWN : title.english,
      other: rng.chance(0.03) ? UNKNOWN : title.other,
    };
  }

  private fresh(style: TitleStyle): AnimeTitle {
    const rng = this.rng;
    const [ar, ae, aj] = rng.pick(TITLE_WORDS);
    const [br, be, bj] = rng.pick(TITLE_WORDS);
    switch (style) {
      case "comma":
        return { name: `${ar}, ${br}`, english: `${ae}, ${be}`, other: `${aj}、${bj}` };
      case "quoted":
        return {
          name: `"${ar} no ${br}"`,
          english: `"The ${be} of ${ae}"`,
          other: `【${aj}の${bj}】`,
        };
      case "accented": {
        const [latin, kana] = rng.pick(ACCENTED_TITLES);
        return { name: `${latin}: ${br}`, english: `${latin}: ${be}`, other: `${kana} ${bj}` };
      }
      case "plain": {
        const shape = rng.int(4);
        if (shape === 0) {
          return { name: `${ar} no ${br}`, english: `The ${be} of ${ae}`, other: `${aj}の${bj}` };
        }
        if (shape === 1) {
          return { name: `${ar} ${br}`, english: `${ae} ${be}`, other: `${aj}${bj}` };
        }
        if (shape === 2) {
          const [loan, kana] = rng.pick(LOANWORD_TITLES);
          return { name: loan, english: loan, other: kana };
        }
        return { name: `${ar} ${br}!!`, english: `${ae} ${be}!!`, other: `${aj}${bj}!!` };
      }
    }
  }

  private sequel(base: AnimeTitle): AnimeTitle {
    const [romaji, english, japanese] = this.rng.pick(SEQUELS);
    return {
      name: base.name + romaji,
      english: base.english + english,
      other: base.other + japanese,
    };
  }
}

/** MAL-like usernames (letters, digits, `_`, `-`), unique within one generator. */
export class UsernameMaker {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  make(userId: number): string {
    const rng = this.rng;
    const first = rng.pick(USERNAME_PARTS);
    const second = rng.pick(USERNAME_PARTS);
    const shape = rng.int(4);
    let name = shape === 0
      ? `${first}${capitalize(second)}`
      : shape === 1
      ? `${first}_${second}${rng.int(100)}`
      : shape === 2
      ? `${capitalize(first)}${rng.between(1980, 2012)}`
      : `${first}-${second}`;
    if (this.used.has(name)) name = `${name}_${userId}`;
    this.used.add(name);
    return name;
  }
}

function capitalize(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
