/**
 * Word lists for the generated MAL catalogue: genres with their own synopsis vocabulary,
 * title parts in romaji / English / Japanese, people and company names, and the categorical
 * values the real dump uses (types, sources, age ratings).
 */

export interface Genre {
  /** name in the 2023 dump */
  name: string;
  /** name in the 2018 dump (MAL renamed some genres) */
  name2018: string;
  /** relative frequency among anime */
  weight: number;
  settings: readonly string[];
  roles: readonly string[];
  goals: readonly string[];
  events: readonly string[];
}

export const GENRES: readonly Genre[] = [
  {
    name: "Action",
    name2018: "Action",
    weight: 20,
    settings: [
      "a city ruled by gangs",
      "the lawless frontier",
      "an underground arena",
      "a fortress",
    ],
    roles: ["mercenary", "bodyguard", "street fighter", "bounty hunter", "soldier"],
    goals: ["take down the syndicate", "survive the tournament", "avenge a fallen comrade"],
    events: ["an explosive ambush", "a rival with a deadly technique", "a betrayal in the ranks"],
  },
  {
    name: "Adventure",
    name2018: "Adventure",
    weight: 12,
    settings: ["uncharted islands", "a sprawling desert", "a mountain kingdom", "the open sea"],
    roles: ["explorer", "treasure hunter", "pirate", "cartographer", "wanderer"],
    goals: ["find the legendary treasure", "reach the edge of the map", "reunite the crew"],
    events: ["a storm that scatters the ship", "a map with a missing piece", "a rival expedition"],
  },
  {
    name: "Avant Garde",
    name2018: "Dementia",
    weight: 3,
    settings: ["a dream without edges", "a city of mirrors", "a room that keeps changing"],
    roles: ["drifter", "nameless figure", "painter", "silent observer"],
    goals: ["understand the shapes in the dark", "escape the looping corridor"],
    events: ["a collage of fragmented memories", "colours that begin to speak"],
  },
  {
    name: "Award Winning",
    name2018: "Drama",
    weight: 1.5,
    settings: ["a small coastal town", "postwar Tokyo", "a quiet mountain village"],
    roles: ["director", "violinist", "widowed father", "young novelist"],
    goals: ["finish a life's work", "reconcile with the past", "keep a promise to a friend"],
    events: ["a festival that changes everything", "a letter that arrives years too late"],
  },
  {
    name: "Boys Love",
    name2018: "Shounen Ai",
    weight: 1,
    settings: ["an art college", "a seaside café", "a rainy university campus"],
    roles: ["classmate", "roommate", "barista", "aspiring designer"],
    goals: ["confess his feelings", "choose between love and ambition"],
    events: ["an unexpected kiss", "a misunderstanding at the train station"],
  },
  {
    name: "Comedy",
    name2018: "Comedy",
    weight: 30,
    settings: ["a chaotic high school club", "a rundown apartment", "a family restaurant"],
    roles: ["slacker", "class clown", "part-timer", "self-proclaimed genius", "landlady"],
    goals: ["save the club from closure", "pay the rent on time", "win the school festival"],
    events: [
      "a hilarious misunderstanding",
      "an alien who moves in next door",
      "a cursed vending machine",
    ],
  },
  {
    name: "Drama",
    name2018: "Drama",
    weight: 12,
    settings: ["a struggling hospital", "a family inn", "a broken home", "a conservatory"],
    roles: ["nurse", "pianist", "older brother", "teacher", "orphan"],
    goals: ["heal old wounds", "keep the family together", "stand on stage once more"],
    events: ["a sudden illness", "a death that shakes the family", "a secret kept for years"],
  },
  {
    name: "Ecchi",
    name2018: "Ecchi",
    weight: 3,
    settings: ["a hot spring resort", "a girls' dormitory", "a beach house"],
    roles: ["transfer student", "dorm manager", "lifeguard"],
    goals: ["survive a summer of awkward encounters", "keep the dorm open"],
    events: ["an embarrassing accident", "a swimsuit contest"],
  },
  {
    name: "Fantasy",
    name2018: "Fantasy",
    weight: 18,
    settings: ["a kingdom of dragons", "an enchanted forest", "another world", "an elven city"],
    roles: ["knight", "sorcerer", "hero", "demon lord", "alchemist", "adventurer"],
    goals: ["defeat the demon king", "break an ancient curse", "master forbidden magic"],
    events: ["a summoning gone wrong", "the return of the dragon", "a prophecy that names him"],
  },
  {
    name: "Girls Love",
    name2018: "Shoujo Ai",
    weight: 1,
    settings: ["an all-girls academy", "a flower shop", "a music conservatory"],
    roles: ["student council president", "florist", "cellist"],
    goals: ["tell her senpai the truth", "protect their fragile bond"],
    events: ["a shared umbrella in the rain", "a rumour that spreads through school"],
  },
  {
    name: "Gourmet",
    name2018: "Slice of Life",
    weight: 1,
    settings: ["a tiny ramen stall", "a culinary academy", "a countryside kitchen"],
    roles: ["chef", "food critic", "baker", "apprentice cook"],
    goals: ["create the perfect dish", "win the cooking duel", "revive the family diner"],
    events: ["a dish that moves a critic to tears", "a rival restaurant across the street"],
  },
  {
    name: "Horror",
    name2018: "Horror",
    weight: 2,
    settings: ["an abandoned hospital", "a cursed village", "a fog-covered school"],
    roles: ["survivor", "exorcist", "medium", "night guard"],
    goals: ["escape before dawn", "lift the curse", "find out who is still human"],
    events: [
      "a body in the well",
      "a ghost that knows their names",
      "a door that will not stay shut",
    ],
  },
  {
    name: "Mystery",
    name2018: "Mystery",
    weight: 4,
    settings: ["a locked mansion", "a foggy harbour town", "a detective agency"],
    roles: ["detective", "journalist", "police inspector", "amateur sleuth"],
    goals: ["solve the locked-room murder", "uncover the culprit", "expose the conspiracy"],
    events: ["a cryptic note", "a second murder", "an alibi that does not add up"],
  },
  {
    name: "Romance",
    name2018: "Romance",
    weight: 10,
    settings: ["a summer festival", "a seaside town", "a high school rooftop"],
    roles: ["childhood friend", "new neighbour", "shy bookworm", "popular idol"],
    goals: [
      "confess before graduation",
      "win back a first love",
      "keep a fake relationship secret",
    ],
    events: [
      "a chance meeting on the train",
      "a love letter in the wrong locker",
      "a fireworks night",
    ],
  },
  {
    name: "Sci-Fi",
    name2018: "Sci-Fi",
    weight: 13,
    settings: ["a colony on Mars", "a space station", "a neon megacity", "a ruined Earth"],
    roles: ["pilot", "android", "hacker", "starship captain", "scientist"],
    goals: ["stop the alien invasion", "awaken the giant robot", "reach the lost colony"],
    events: ["a signal from deep space", "a rogue artificial intelligence", "a time paradox"],
  },
  {
    name: "Slice of Life",
    name2018: "Slice of Life",
    weight: 9,
    settings: ["a sleepy country town", "a high school club room", "a small bookshop"],
    roles: ["high school girl", "office worker", "grandmother", "club member"],
    goals: ["enjoy the last summer of school", "make new friends", "learn to live alone"],
    events: ["a new member joins the club", "a day trip to the sea", "a stray cat appears"],
  },
  {
    name: "Sports",
    name2018: "Sports",
    weight: 4,
    settings: ["the national tournament", "a volleyball club", "a cycling team", "a boxing gym"],
    roles: ["ace pitcher", "setter", "rookie", "team captain", "coach"],
    goals: ["win the championship", "rebuild the team", "beat the unbeatable rival"],
    events: [
      "an injury before the finals",
      "a match that goes into overtime",
      "a new coach arrives",
    ],
  },
  {
    name: "Supernatural",
    name2018: "Supernatural",
    weight: 8,
    settings: ["a shrine on the hill", "a town of spirits", "a school haunted by youkai"],
    roles: ["shrine maiden", "spirit medium", "half-demon", "yokai hunter"],
    goals: ["seal the spirits away", "protect both worlds", "learn the truth about her powers"],
    events: ["a fox spirit that demands a contract", "the barrier between worlds cracks"],
  },
  {
    name: "Suspense",
    name2018: "Thriller",
    weight: 2,
    settings: ["a deadly game show", "a sealed island", "a city under surveillance"],
    roles: ["gambler", "hostage", "prodigy", "fugitive"],
    goals: ["outwit the game master", "survive until the last round", "clear his name"],
    events: ["a rule that changes overnight", "a traitor among the players"],
  },
];

/** Extra 2018 genre tags (MAL's old themes and demographics). */
export const THEMES_2018: readonly string[] = [
  "Shounen",
  "Shoujo",
  "Seinen",
  "Josei",
  "School",
  "Mecha",
  "Military",
  "Music",
  "Historical",
  "Martial Arts",
  "Parody",
  "Psychological",
  "Space",
  "Super Power",
  "Magic",
  "Kids",
];

/** Adjectives that appear more often in synopses of well-scored anime. */
export const PRAISE_WORDS: readonly string[] = [
  "acclaimed",
  "breathtaking",
  "masterful",
  "unforgettable",
  "heartfelt",
  "stunning",
  "brilliant",
  "poignant",
  "gripping",
  "beloved",
  "extraordinary",
  "captivating",
  "profound",
  "exquisite",
  "triumphant",
];

/** Adjectives that appear more often in synopses of poorly scored anime. */
export const PAN_WORDS: readonly string[] = [
  "generic",
  "clumsy",
  "forgettable",
  "tedious",
  "bland",
  "shallow",
  "predictable",
  "awkward",
  "cheap",
  "uneven",
  "hollow",
  "mediocre",
];

export const NEUTRAL_ADJECTIVES: readonly string[] = [
  "young",
  "ordinary",
  "quiet",
  "stubborn",
  "cheerful",
  "lonely",
  "reckless",
  "gentle",
  "mysterious",
  "clever",
  "timid",
  "hot-headed",
];

export const GIVEN_NAMES: readonly string[] = [
  "Haruto",
  "Yuki",
  "Sora",
  "Ren",
  "Aoi",
  "Hinata",
  "Kaito",
  "Sakura",
  "Riku",
  "Mio",
  "Takumi",
  "Akari",
  "Shun",
  "Nanami",
  "Daichi",
  "Emi",
  "Kenji",
  "Rin",
  "Souta",
  "Hana",
  "Yuuto",
  "Mei",
  "Kazuki",
  "Asuka",
  "Itsuki",
  "Chihiro",
  "Ryouta",
  "Kaede",
  "Naoki",
  "Misaki",
];

export const FAMILY_NAMES: readonly string[] = [
  "Takeda",
  "Suzuki",
  "Kurosawa",
  "Aizawa",
  "Morimoto",
  "Fujiwara",
  "Kanzaki",
  "Hoshino",
  "Tachibana",
  "Shirogane",
  "Amamiya",
  "Kisaragi",
  "Nakamura",
  "Sakamoto",
  "Hayashi",
  "Yamamoto",
  "Kobayashi",
  "Inoue",
  "Kuroki",
  "Mizuno",
];

/** Western names with accents, for characters of non-Japanese settings. */
export const ACCENTED_NAMES: readonly string[] = [
  "Zoé",
  "Renée",
  "José",
  "Chloé",
  "Andrés",
  "Björn",
  "Amélie",
  "Léon",
];

/** Title words: romaji, English, Japanese. */
export const TITLE_WORDS: readonly (readonly [string, string, string])[] = [
  ["Sora", "Sky", "空"],
  ["Hoshi", "Star", "星"],
  ["Yume", "Dream", "夢"],
  ["Kaze", "Wind", "風"],
  ["Tsuki", "Moon", "月"],
  ["Hana", "Flower", "花"],
  ["Kokoro", "Heart", "心"],
  ["Tsurugi", "Sword", "剣"],
  ["Densetsu", "Legend", "伝説"],
  ["Monogatari", "Story", "物語"],
  ["Senki", "War Chronicle", "戦記"],
  ["Gakuen", "Academy", "学園"],
  ["Tenshi", "Angel", "天使"],
  ["Akuma", "Devil", "悪魔"],
  ["Mahou", "Magic", "魔法"],
  ["Shoujo", "Girl", "少女"],
  ["Sekai", "World", "世界"],
  ["Hikari", "Light", "光"],
  ["Yami", "Darkness", "闇"],
  ["Natsu", "Summer", "夏"],
  ["Fuyu", "Winter", "冬"],
  ["Umi", "Sea", "海"],
  ["Mirai", "Future", "未来"],
  ["Kiseki", "Miracle", "奇跡"],
  ["Ryuu", "Dragon", "竜"],
  ["Neko", "Cat", "猫"],
  ["Shinobi", "Ninja", "忍"],
  ["Uchuu", "Space", "宇宙"],
  ["Senshi", "Warrior", "戦士"],
  ["Kaitou", "Phantom Thief", "怪盗"],
  ["Tantei", "Detective", "探偵"],
  ["Ookami", "Wolf", "狼"],
  ["Sakura", "Cherry Blossom", "桜"],
  ["Hime", "Princess", "姫"],
  ["Ou", "King", "王"],
];

/** English-looking titles with their katakana spelling, as many real titles are. */
export const LOANWORD_TITLES: readonly (readonly [string, string])[] = [
  ["Star Drive", "スタードライブ"],
  ["Break Blade", "ブレイクブレイド"],
  ["Blue Lock", "ブルーロック"],
  ["Magic Knight", "マジックナイト"],
  ["Dream Stage", "ドリームステージ"],
  ["Cyber Heart", "サイバーハート"],
  ["Night Walker", "ナイトウォーカー"],
  ["Silver Wing", "シルバーウイング"],
  ["Crystal Road", "クリスタルロード"],
  ["Phantom Rain", "ファントムレイン"],
];

/** Titles with accented Latin letters, as in "Pokémon". */
export const ACCENTED_TITLES: readonly (readonly [string, string])[] = [
  ["Pokémon", "ポケモン"],
  ["Café Lumière", "カフェ・ルミエール"],
  ["Déjà Vu", "デジャヴ"],
  ["Über Ritter", "ウーバーリッター"],
  ["Fiancée", "フィアンセ"],
];

export const STUDIOS: readonly string[] = [
  "Sunrise",
  "Madhouse",
  "Toei Animation",
  "Production I.G",
  "Kyoto Animation",
  "Bones",
  "MAPPA",
  "Wit Studio",
  "J.C.Staff",
  "Shaft",
  "A-1 Pictures",
  "Studio Deen",
  "TMS Entertainment",
  "Pierrot",
  "OLM",
  "Doga Kobo",
  "Silver Link.",
  "Lerche",
];

export const PRODUCERS: readonly string[] = [
  "Aniplex",
  "Bandai Visual",
  "Dentsu",
  "TV Tokyo",
  "Lantis",
  "Movic",
  "Kadokawa",
  "Pony Canyon",
  "NHK",
  "Fuji TV",
  "Shueisha",
  "Kodansha",
  "Avex Pictures",
  "Sony Music Entertainment",
  "Nippon Television Network",
];

export const LICENSORS: readonly string[] = [
  "Funimation",
  "Sentai Filmworks",
  "Aniplex of America",
  "VIZ Media",
  "Discotek Media",
  "Crunchyroll",
  "Bandai Entertainment",
  "NYAV Post",
];

export const TYPES = ["TV", "Movie", "OVA", "ONA", "Special", "Music", "UNKNOWN"] as const;
export type AnimeType = typeof TYPES[number];
export const TYPE_WEIGHTS: readonly number[] = [30, 17, 16, 15, 11, 10.5, 0.5];

export const SOURCES: readonly string[] = [
  "Original",
  "Manga",
  "Unknown",
  "Light novel",
  "Game",
  "Visual novel",
  "Other",
  "Novel",
  "Web manga",
  "4-koma manga",
  "Music",
  "Picture book",
  "Web novel",
  "Card game",
];
export const SOURCE_WEIGHTS: readonly number[] = [27, 22, 14, 6, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1];

export const AGE_RATINGS: readonly string[] = [
  "PG-13 - Teens 13 or older",
  "G - All Ages",
  "PG - Children",
  "R - 17+ (violence & profanity)",
  "R+ - Mild Nudity",
  "UNKNOWN",
];
export const AGE_RATING_WEIGHTS: readonly number[] = [40, 22, 12, 12, 8, 3];

export const MONTHS: readonly string[] = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

export const SEASONS: readonly string[] = ["winter", "spring", "summer", "fall"];

export const USERNAME_PARTS: readonly string[] = [
  "shadow",
  "neko",
  "otaku",
  "kitsune",
  "ramen",
  "pixel",
  "zero",
  "sakura",
  "moon",
  "blade",
  "dragon",
  "lazy",
  "night",
  "hikari",
  "ghost",
  "tofu",
  "storm",
  "mecha",
  "senpai",
  "panda",
];

export const GENDERS_2018: readonly string[] = ["Male", "Female", "Non-Binary"];
export const GENDER_WEIGHTS_2018: readonly number[] = [64, 33, 3];

/** what the dump writes for an unknown value in most columns */
export const UNKNOWN = "UNKNOWN";
