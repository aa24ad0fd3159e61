#!/usr/bin/env python3
"""Writes recurrent4j's bundled apple data set: apple the fruit against Apple the company, in CoNLL with BIO tags of
two types, FRUIT and ORG. Deterministic (fixed seed); run from anywhere:  python3 tools/make_apple_data.py

Sentences come from templates. Train and dev draw on one pool of sentence patterns; test uses patterns and contexts
that appear in neither, so its F1 measures generalization rather than memory. "apple"/"Apple" occurs in both senses,
in every position and casing: sentence-initial "Apple pie ..." against "Apple shares ...", lower-case company
mentions ("apple stock"), "Apple Inc.", plurals; other fruits and companies too.
"""
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "src", "main", "resources",
                   "org", "recurrent4j", "data", "apple")

FRUITS = [("apple", "apples"), ("banana", "bananas"), ("orange", "oranges"), ("pear", "pears"),
          ("mango", "mangoes"), ("cherry", "cherries"), ("grape", "grapes"), ("peach", "peaches"),
          ("plum", "plums"), ("lemon", "lemons"), ("kiwi", "kiwis"), ("strawberry", "strawberries"),
          ("pineapple", "pineapples"), ("apricot", "apricots"), ("lime", "limes"), ("fig", "figs")]
COMPANIES = ["Apple", "Microsoft", "Google", "Amazon", "Samsung", "IBM", "Intel", "Tesla", "Nokia", "Sony",
             "Netflix", "Oracle", "Adobe", "Nvidia", "Spotify", "Siemens", "Toyota", "Nestle"]
SUFFIXES = ["Inc.", "Corp.", "Ltd.", "Group"]
CITIES = ["Paris", "Berlin", "Tokyo", "London", "Chicago", "Madrid", "Seoul", "Toronto"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ADJ = ["great", "big", "famous", "successful", "huge", "valuable"]
TASTE = ["sweet", "sour", "juicy", "ripe", "fresh", "delicious"]
PEOPLE = ["She", "He", "My sister", "Our teacher", "The boy", "Grandma", "Tom", "Maria"]

# A template is a string with slots:
#   {f} fruit (singular), {fs} fruit (plural), {F}/{Fs} the same capitalised (sentence-initial),
#   {o} company, {ol} company written in lower case, {oo} company with a legal suffix ("Apple Inc."),
#   {Af} "Apple" the fruit, {Ao} "Apple" the company,
#   {n} number, {city}, {day}, {adj}, {taste}, {who}
TRAIN = [
    "I like eating {f} !", "{who} ate an {f} for breakfast .", "{Fs} are rich in vitamins .",
    "We picked {fs} in the orchard .", "Can you buy some {fs} at the market ?", "{who} peeled the {f} with a knife .",
    "This {f} tastes {taste} .", "My grandmother bakes {f} pie every Sunday .", "The {f} tree in our garden is blooming .",
    "{F} juice is good for you .", "{F} pie is my favourite dessert .", "{Fs} and {fs} are on the table .",
    "A {taste} {f} fell from the branch .", "{F} trees grow well in this valley .", "The {f} is {taste} .",
    "{who} made {f} jam yesterday .", "Slice the {fs} and add sugar .", "These {fs} are {taste} .",
    "{who} likes {f} juice more than milk .", "{F} seeds should not be eaten .", "Wash the {fs} before eating them .",
    "{o} shares rose {n} % on {day} .", "{o} announced a new phone today .",
    "Analysts expect {o} to report strong earnings .", "{oo} hired {n} engineers .", "I bought {o} stock last year .",
    "The CEO of {o} spoke at the conference .", "{o} opened a new store in {city} .", "{ol} stock fell after the report .",
    "Investors sold {ol} shares on {day} .", "{o} is a {adj} company .", "The {o} store was crowded .",
    "{oo} reported record revenue .", "{who} works for {o} in {city} .", "{o} shares fell {n} % .",
    "{o} released a software update .", "Reporters asked {o} about the new laptop .", "{ol} earnings beat forecasts .",
    "{o} and {o2} signed a deal .", "The {o} cafeteria serves {f} pie .", "{who} sold {ol} stock to buy {fs} .",
    "{o} employees ate {fs} at lunch .", "{oo} sued {o2} over a patent .", "Shares of {o} hit a record high .",
    # sentence-initial "Apple" in both senses, where only the words to the right tell them apart
    "{Af} pie is my favourite dessert .", "{Af} jam is {taste} .", "{Af} juice tastes {taste} .",
    "{Af} trees grow in the garden .", "{Af} seeds are small .", "{Af} peel is good for compost .",
    "{Ao} shares rose {n} % .", "{Ao} stock fell on {day} .", "{Ao} announced a new phone .",
    "{Ao} employees work in {city} .", "{Ao} earnings beat forecasts .", "{Ao} opened a store in {city} .",
    # version 2: the phrasing of news, recipes, farming and shopping, so that context words beyond the first
    # templates' few reach both senses (with the legal-suffix form "Apple Inc." in about the same share as above)
    "{o} said on {day} that it would hire {n} people .", "{oo} reported a loss for the quarter .",
    "A court in {city} ordered {o} to change its contracts .", "{o} recalled {n} thousand chargers .",
    "{o} agreed to buy a software maker in {city} .", "{o} is under investigation by auditors .",
    "The chief executive of {o} stepped down .", "{o} denied the claims in a statement .",
    "{o} started a music service in {city} .", "Competition from {o2} hurt {o} last year .",
    "{oo} settled a dispute with its former partner .", "{o} will lower prices in {city} .",
    "Workers at {o} went on strike on {day} .", "{o} invested in a new data centre .",
    "Critics accused {o} of ignoring privacy rules .", "Orders from {o} kept the suppliers busy .",
    "{o} delayed its new tablet until next year .", "A lawyer for {oo} spoke to reporters .",
    "The board of {oo} approved a share buyback .", "{o} moved its office to {city} .",
    "{o} faces a fine of {n} million dollars .", "Investors bought {o} after the presentation .",
    "{o} partnered with {o2} on payments .", "{o} sold {n} million phones .",
    "{who} wrote an app for {o} devices .", "The watch made by {o} sold out .",
    "{F} prices rose at the market this month .", "The {f} harvest was poor this year .",
    "{F} growers hope for a warm spring .", "Farmers picked {fs} until dark .",
    "{who} baked {f} muffins for the school fair .", "Add a chopped {f} to the salad .",
    "The recipe needs two {fs} and some sugar .", "Store the {fs} in a dark cellar .",
    "{who} chopped the {f} into thin pieces .", "A ripe {f} smells sweet .", "The {f} orchard covers {n} hectares .",
    "Birds pecked at the {fs} on the tree .", "{who} bought a kilo of {fs} .",
    "Frost killed the {f} blossoms in {city} .", "Serve the pork with roasted {fs} .",
    "The shop sells {f} syrup and {f} vinegar .", "Each {f} weighs about {n} grams .",
    "The {f} was bruised and soft .", "{who} put an {f} in her lunch box .",
    "{Af} growers expect a large crop .", "{Af} crumble needs butter and oats .",
    "{Af} orchards line the road to {city} .", "{Af} prices fell after the harvest .",
    "{Ao} reported a loss on {day} .", "{Ao} denied the claims .", "{Ao} will lower prices in {city} .",
    "{Ao} recalled {n} thousand chargers .", "{Ao} agreed to buy a chip designer .",
]
TEST = [
    "{F} slices with cinnamon make a nice snack .", "{who} dropped an {f} on the floor .",
    "{Fs} from the farm were cheap this week .", "I want a {taste} {f} now !", "{F} cider is popular in autumn .",
    "The {fs} in the basket are {taste} .", "{who} painted a bowl of {fs} .",
    "{o} unveiled its latest laptop in {city} .", "{o} stock climbed {n} % after the launch .",
    "Regulators fined {oo} on {day} .", "{ol} investors were nervous .", "{o} will build a factory near {city} .",
    "The founder of {o} gave an interview .", "{o} is a {adj} company !", "We visited the {o} headquarters .",
    "{oo} cut {n} jobs .", "{o} bought a startup from {city} .", "{who} prefers {fs} to {fs2} .",
    # sentence-initial "Apple" in both senses, in new sentences whose right context decides
    "{Af} pies cool on the window .", "{Af} seeds sprout in wet soil .", "{Af} trees need sun and water .",
    "{Af} juice spilled on the floor .", "{Ao} shares dropped after the news .",
    "{Ao} announced record earnings on {day} .", "{Ao} employees ate lunch outside .", "{Ao} stock is expensive .",
]

def pick_fruit(rng, apple_bias=0.45):
    return FRUITS[0] if rng.random() < apple_bias else rng.choice(FRUITS[1:])

def pick_company(rng, apple_bias=0.45, exclude=None):
    while True:
        c = "Apple" if rng.random() < apple_bias else rng.choice(COMPANIES[1:])
        if c != exclude:
            return c

def fill(template, rng):
    tokens, tags = [], []
    used = {}
    for part in template.split():
        if not (part.startswith("{") and part.endswith("}")):
            for w in part.split("_"):
                tokens.append(w); tags.append("O")
            continue
        slot = part[1:-1]
        if slot in ("Af", "Ao"):
            tokens.append("Apple"); tags.append("B-FRUIT" if slot == "Af" else "B-ORG")
        elif slot in ("f", "F", "fs", "Fs", "fs2"):
            sing, plur = pick_fruit(rng)
            if slot == "fs2":
                while (sing, plur) == used.get("fruit"):
                    sing, plur = pick_fruit(rng, 0.2)
            used["fruit"] = (sing, plur)
            word = plur if slot.startswith(("fs", "Fs")) else sing
            if slot[0] == "F":
                word = word[0].upper() + word[1:]
            tokens.append(word); tags.append("B-FRUIT")
        elif slot in ("o", "ol", "oo", "o2"):
            c = pick_company(rng, exclude=used.get("org") if slot == "o2" else None)
            used["org"] = c
            if slot == "ol":
                tokens.append(c.lower()); tags.append("B-ORG")
            elif slot == "oo":
                tokens += [c, rng.choice(SUFFIXES)]; tags += ["B-ORG", "I-ORG"]
            else:
                tokens.append(c); tags.append("B-ORG")
        else:
            value = {"n": lambda: str(rng.randint(2, 40)), "city": lambda: rng.choice(CITIES),
                     "day": lambda: rng.choice(DAYS), "adj": lambda: rng.choice(ADJ),
                     "taste": lambda: rng.choice(TASTE), "who": lambda: rng.choice(PEOPLE)}[slot]()
            for w in value.split():
                tokens.append(w); tags.append("O")
    # "an" before a consonant, "a" before a vowel, as a writer would
    for i in range(len(tokens) - 1):
        if tokens[i].lower() in ("a", "an"):
            vowel = tokens[i + 1][0].lower() in "aeiou"
            tokens[i] = ("An" if tokens[i][0] == "A" else "an") if vowel else ("A" if tokens[i][0] == "A" else "a")
    return tokens, tags

def make(templates, count, rng):
    out, seen = [], set()
    while len(out) < count:
        tokens, tags = fill(rng.choice(templates), rng)
        key = " ".join(tokens)
        if key in seen and rng.random() < 0.9:
            continue
        seen.add(key)
        out.append((tokens, tags))
    return out

def write(path, sentences):
    with open(path, "w", encoding="utf-8") as f:
        f.write("-DOCSTART-\tO\n\n")
        for tokens, tags in sentences:
            for tok, tag in zip(tokens, tags):
                f.write(f"{tok}\t{tag}\n")
            f.write("\n")

def main():
    rng = random.Random(20261126)
    os.makedirs(OUT, exist_ok=True)
    train_dev = make(TRAIN, 1800, rng)
    write(os.path.join(OUT, "train.conll"), train_dev[:1600])
    write(os.path.join(OUT, "dev.conll"), train_dev[1600:])
    write(os.path.join(OUT, "test.conll"), make(TEST, 300, rng))

if __name__ == "__main__":
    main()
