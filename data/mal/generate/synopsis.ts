/**
 * Synopses assembled from per-genre vocabulary. Praise words appear more often the higher the
 * anime's hidden quality and pan words the lower, mixed with plot filler, so a text model can
 * learn the score from the text. Some synopses carry the dump's quirks: the "no description"
 * placeholder, very short or very long text, quotes, commas and line breaks.
 */
import { MISSING_SYNOPSIS } from "../columns.ts";
import { type Rng, sigmoid } from "./random.ts";
import {
  ACCENTED_NAMES,
  FAMILY_NAMES,
  type Genre,
  GENRES,
  GIVEN_NAMES,
  NEUTRAL_ADJECTIVES,
  PAN_WORDS,
  PRAISE_WORDS,
} from "./vocabulary.ts";

/** normal: 200-~1,900 chars; short: < 30; long: > 2,000 (the study keeps 30..2,000). */
export type SynopsisKind = "normal" | "placeholder" | "short" | "long";

const SHORT_SYNOPSES = [
  "Music video.",
  "Recap episode.",
  "A short film.",
  "Commercial for the game.",
  "Picture drama.",
  "Sequel to the TV series.",
];

/** Chooses a kind per anime; unpopular anime more often lack a description. */
export function synopsisKinds(rng: Rng, popularityFraction: Float64Array): SynopsisKind[] {
  const kinds: SynopsisKind[] = [];
  for (let i = 0; i < popularityFraction.length; i++) {
    const x = rng.uniform();
    const placeholderChance = 0.02 + 0.2 * popularityFraction[i] ** 2;
    kinds.push(
      x < placeholderChance
        ? "placeholder"
        : x < placeholderChance + 0.015
        ? "short"
        : x < placeholderChance + 0.022
        ? "long"
        : "normal",
    );
  }
  // Guarantee each length quirk at least once, on anime that had a normal synopsis.
  const normal = kinds.flatMap((k, i) => (k === "normal" ? [i] : []));
  const [short, long] = rng.sample(normal, 2);
  if (short !== undefined) kinds[short] = "short";
  if (long !== undefined) kinds[long] = "long";
  return kinds;
}

interface Cast {
  hero: string;
  heroFull: string;
  ally: string;
  pronoun: string;
  genre: Genre;
  second: Genre;
}

export class SynopsisWriter {
  constructor(private readonly rng: Rng) {}

  /**
   * @param genres indices into GENRES
   * @param quality the anime's hidden standard-normal quality
   * @param popularityFraction 0 = most popular .. 1 = least (popular anime get longer text)
   */
  write(
    kind: SynopsisKind,
    title: string,
    genres: Uint8Array,
    quality: number,
    popularityFraction: number,
  ): string {
    const rng = this.rng;
    if (kind === "placeholder") return MISSING_SYNOPSIS;
    if (kind === "short") return rng.pick(SHORT_SYNOPSES);
    const target = kind === "long" ? rng.between(2_100, 3_200) : Math.min(
      1_700, // + one sentence + credit line stays under 2,000
      Math.max(200, (420 + 380 * (1 - popularityFraction)) * Math.exp(0.4 * rng.normal())),
    );
    const cast = this.cast(genres);
    const praiseChance = sigmoid(1.6 * quality);
    const paragraphs: string[][] = [[this.opening(cast)]];
    let length = paragraphs[0][0].length;
    while (length < target) {
      const sentence = rng.chance(0.4) ? this.verdict(cast, praiseChance) : this.plot(cast, title);
      if (rng.chance(0.12)) paragraphs.push([]);
      paragraphs[paragraphs.length - 1].push(sentence);
      length += sentence.length + 1;
    }
    let text = paragraphs.filter((p) => p.length > 0).map((p) => p.join(" ")).join("\n\n");
    const credit = rng.uniform();
    if (credit < 0.3) text += "\n\n[Written by MAL Rewrite]";
    else if (credit < 0.38) text += "\n\n(Source: Crunchyroll)";
    else if (credit < 0.42) text += " (Source: ANN)";
    return text;
  }

  private cast(genres: Uint8Array): Cast {
    const rng = this.rng;
    const genre = GENRES[rng.pick([...genres])];
    const second = GENRES[rng.pick([...genres])];
    const western = rng.chance(0.04);
    const hero = western ? rng.pick(ACCENTED_NAMES) : rng.pick(GIVEN_NAMES);
    const family = rng.pick(FAMILY_NAMES);
    return {
      hero,
      heroFull: western ? `${hero} ${family}` : `${family} ${hero}`,
      ally: `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`,
      pronoun: rng.chance(0.5) ? "he" : "she",
      genre,
      second,
    };
  }

  private opening(c: Cast): string {
    const rng = this.rng;
    const role = rng.pick(c.genre.roles);
    const setting = rng.pick(c.genre.settings);
    const adjective = rng.pick(NEUTRAL_ADJECTIVES);
    switch (rng.int(3)) {
      case 0:
        return `In ${setting}, ${c.heroFull}, ${
          withArticle(adjective)
        } ${role}, lives an unremarkable life.`;
      case 1:
        return `${c.heroFull} is ${
          withArticle(adjective)
        } ${role} who dreams of leaving ${setting}.`;
      default:
        return `Nobody in ${setting} expects much from ${c.heroFull}, ${
          withArticle(role)
        } with a secret.`;
    }
  }

  private plot(c: Cast, title: string): string {
    const rng = this.rng;
    const g = rng.chance(0.7) ? c.genre : c.second;
    switch (rng.int(6)) {
      case 0:
        return `But when ${rng.pick(g.events)} turns everything upside down, ${c.hero} must ${
          rng.pick(g.goals)
        }.`;
      case 1:
        return `Together with ${c.ally}, ${withArticle(rng.pick(g.roles))} from ${
          rng.pick(g.settings)
        }, ${c.pronoun} sets out to ${rng.pick(g.goals)}.`;
      case 2:
        return `"I will ${
          rng.pick(g.goals)
        }, no matter what," ${c.hero} says. "Even if it costs me everything."`;
      case 3:
        return `Along the way, ${c.hero} faces ${
          rng.pick(g.events)
        }, and learns what it means to be ${withArticle(rng.pick(g.roles))}.`;
      case 4:
        return `${title} follows ${c.hero}, whose so-called "ordinary days" hide ${
          rng.pick(g.events)
        }.`;
      default:
        return `Will ${c.hero} ${rng.pick(g.goals)}, or is it already too late?`;
    }
  }

  /** A sentence whose adjectives are praise with probability `praiseChance`, else pan. */
  private verdict(c: Cast, praiseChance: number): string {
    const rng = this.rng;
    const word =
      () => (rng.uniform() < praiseChance ? rng.pick(PRAISE_WORDS) : rng.pick(PAN_WORDS));
    const genre = c.genre.name.toLowerCase();
    switch (rng.int(4)) {
      case 0:
        return `This ${word()} ${genre} story pairs ${word()} animation with ${
          withArticle(word())
        } soundtrack.`;
      case 1:
        return `Critics called the ${word()} finale "${word()}," and fans remember its ${word()} characters.`;
      case 2:
        return `What follows is ${withArticle(word())}, ${word()} tale of friendship, loss and ${
          rng.pick(c.second.settings)
        }.`;
      default:
        return `The ${word()} direction and ${word()} pacing define every episode.`;
    }
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function withArticle(word: string): string {
  return `${article(word)} ${word}`;
}
