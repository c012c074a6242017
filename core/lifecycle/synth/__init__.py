"""Seeded generator of realistic Russian classified ads with gold contact spans.

`generate_ads(n, seed)` and `generate_splits(settings)` return the marketplace's columns plus the
generator's gold (COLUMNS): `spans` (JSON list of Span on the raw description, one per contact or per
piece of a split number), `disguise` (the main contact's disguise, `none` for clean ads,
`title:<disguise>` when the main contact sits in the title) and `negative_kind` (the look-alikes in
the ad: background kinds, then after a `|` the contact-slot look-alikes). The same arguments give the
same frame.

How an ad is built, so that nothing but the contact itself tells the label:

- the body (by subcategory style) is drawn before the label;
- background hard negatives (prices, VIN, dates, OEM numbers...: 1-3 with probability
  `hard_negative_share`) and call-outs (contact words without a contact) are drawn the same way for
  both labels, and every category has the same contact rate;
- every ad has 1-3 *contact slots* (the same count distribution for both labels). In a positive ad
  the first slot holds the main contact (one of `core.kinds.DISGUISES`), further slots a secondary
  contact or a look-alike; in a clean ad every slot holds a look-alike shaped like a contact drawn
  from the same weights (`_TWINS`: a phone-shaped OEM number for a plain phone, number words in a
  clean sentence for a phone in words, 'есть телеграм' or 'насос TG-450' for a handle...). Length,
  digit count, digit share and line count therefore follow the same distribution for both labels;
- about 4 % of ads put the first slot into the title (positives: label 1, gold spans stay
  description-only; clean ads: a look-alike).

Phones: besides the older fixed builders, `_composed_text` builds a number group by group, each group
as digits, look-alike letters, keycap or full-width digits, digits with invisible characters,
Russian number words (also digit by digit, colloquial 'восьмёрка'), English number words or a number
word glued to digits ('девятьсот12'), with any separator, and refuses readings a person could take
for another number ('шестьдесят 7' is written 'шесть ноль 7'). A gold span runs from the first
digit, number word, '+' or 'плюс' to the last one, without the lead-in.

The modules, by what they build (each lower one imports only those above it):

- `common`: weighted choice, gold segments, the ad record, small text helpers;
- `vocab`: word lists, tables and weights (geography, names, lead-ins, content, look-alikes, `_TWINS`);
- `names`: mobile numbers, digits, handles, site and mail names, brands (`_Names`, the mixins' base);
- `phones`: number words, glyph disguises, phone layouts, composed-phone operators (`_PhoneText`);
- `contacts`: the contact builders `_c_*`, one per disguise (`_Contacts`);
- `negatives`: the hard negatives `_n_*`, clean twins of contact slots, call-outs (`_Negatives`);
- `bodies`: the ad bodies by style (`_Bodies`);
- `generate`: `_AdMaker` (the mixins plus placement), rendering, `generate_ads`, `generate_splits`.

One `random.Random` drives everything in a fixed order, so the same seed gives the same frame.
"""

from core.lifecycle.synth.generate import (
    COLUMNS,
    DEFAULT_PERIOD,
    SPLIT_PERIODS,
    _AdMaker,
    generate_ads,
    generate_splits,
    split_seed,
)
from core.lifecycle.synth.negatives import NEGATIVE_KINDS
from core.lifecycle.synth.phones import number_words

__all__ = [
    "COLUMNS",
    "DEFAULT_PERIOD",
    "NEGATIVE_KINDS",
    "SPLIT_PERIODS",
    "_AdMaker",
    "generate_ads",
    "generate_splits",
    "number_words",
    "split_seed",
]
