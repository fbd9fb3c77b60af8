#!/usr/bin/env python3
"""Generate crates/ingest/data/countries.tsv.

Source data: the REST Countries JSON (capital, demonym, altSpellings) bundled
in the crates.io crate `iso-rs` 0.2.0 (MIT licence), file
`build/countries.json`. Get it with cargo, e.g.:

    mkdir -p /tmp/isofetch/src && cd /tmp/isofetch
    printf '[package]\nname="isofetch"\nversion="0.1.0"\nedition="2021"\n[dependencies]\niso-rs="=0.2.0"\n' > Cargo.toml
    echo 'fn main(){}' > src/main.rs && cargo fetch
    # JSON is now at ~/.cargo/registry/src/*/iso-rs-0.2.0/build/countries.json

Usage:
    python3 scripts/lexicons/gen_countries.py [path/to/countries.json] > crates/ingest/data/countries.tsv

Only the standard library is needed.

What comes from the JSON: the set of entities (by ISO alpha-3 code), the
capital, and the formal English long names from altSpellings / name
(e.g. "Hashemite Kingdom of Jordan", "Lao People's Democratic Republic").
What is curated by hand (CURATED below): the short press name, extra and
alternate capital spellings, the split of demonyms into adjectives vs plural
people nouns, and press aliases/acronyms. Ambiguous strings are assigned to
exactly one row (the referent the English-language press usually means) so
every capital/adjective/people/alias string maps to a single country.
"""
import glob
import json
import os
import re
import sys

# 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI
CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI
FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN
IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA
UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()
# UN observer states and commonly reported partially recognised entities.
# (Kosovo is "UNK" in the iso-rs JSON.)
EXTRA = ["PSE", "VAT", "UNK", "TWN", "ESH"]

# ISO3;name;capitals;adjectives;people;aliases   (lists separated by |)
# capitals listed here REPLACE the JSON capital (the script warns if the JSON
# capital is not among them and not in CAPITAL_DROPPED).
CURATED = r"""
AFG;Afghanistan;Kabul;Afghan;Afghans;Islamic Emirate of Afghanistan|Islamic Republic of Afghanistan
ALB;Albania;Tirana|Tiranë;Albanian;Albanians;
DZA;Algeria;Algiers;Algerian;Algerians;People's Democratic Republic of Algeria
AND;Andorra;Andorra la Vella;Andorran;Andorrans;
AGO;Angola;Luanda;Angolan;Angolans;
ATG;Antigua and Barbuda;St. John's|St John's|Saint John's;Antiguan|Barbudan;Antiguans|Barbudans;Antigua
ARG;Argentina;Buenos Aires;Argentine|Argentinian|Argentinean;Argentines|Argentinians|Argentineans;
ARM;Armenia;Yerevan;Armenian;Armenians;
AUS;Australia;Canberra;Australian;Australians|Aussies;
AUT;Austria;Vienna;Austrian;Austrians;
AZE;Azerbaijan;Baku;Azerbaijani|Azeri;Azerbaijanis|Azeris;
BHS;Bahamas;Nassau;Bahamian;Bahamians;The Bahamas
BHR;Bahrain;Manama;Bahraini;Bahrainis;
BGD;Bangladesh;Dhaka;Bangladeshi;Bangladeshis;
BRB;Barbados;Bridgetown;Barbadian|Bajan;Barbadians|Bajans;
BLR;Belarus;Minsk;Belarusian|Belarussian|Byelorussian;Belarusians|Belarussians;Byelorussia|Belorussia
BEL;Belgium;Brussels;Belgian;Belgians;
BLZ;Belize;Belmopan;Belizean;Belizeans;
BEN;Benin;Porto-Novo|Cotonou;Beninese;Beninese;
BTN;Bhutan;Thimphu;Bhutanese;Bhutanese;
BOL;Bolivia;Sucre|La Paz;Bolivian;Bolivians;
BIH;Bosnia and Herzegovina;Sarajevo;Bosnian|Herzegovinian;Bosnians|Herzegovinians;Bosnia|Bosnia-Herzegovina|Bosnia & Herzegovina|BiH
BWA;Botswana;Gaborone;Botswanan|Motswana;Batswana|Botswanans;
BRA;Brazil;Brasília|Brasilia;Brazilian;Brazilians;Brasil
BRN;Brunei;Bandar Seri Begawan;Bruneian;Bruneians;Brunei Darussalam
BGR;Bulgaria;Sofia;Bulgarian;Bulgarians;
BFA;Burkina Faso;Ouagadougou;Burkinabe|Burkinabè;Burkinabes|Burkinabè;Burkina
BDI;Burundi;Gitega|Bujumbura;Burundian;Burundians;
CPV;Cape Verde;Praia;Cape Verdean|Cabo Verdean;Cape Verdeans|Cabo Verdeans;Cabo Verde
KHM;Cambodia;Phnom Penh;Cambodian;Cambodians;Kampuchea
CMR;Cameroon;Yaoundé|Yaounde;Cameroonian;Cameroonians;
CAN;Canada;Ottawa;Canadian;Canadians;
CAF;Central African Republic;Bangui;Central African;Central Africans;CAR|C.A.R.
TCD;Chad;N'Djamena|N’Djamena|Ndjamena;Chadian;Chadians;Tchad
CHL;Chile;Santiago|Santiago de Chile;Chilean;Chileans;
CHN;China;Beijing;Chinese;Chinese;PRC|P.R.C.|People's Republic of China
COL;Colombia;Bogotá|Bogota;Colombian;Colombians;
COM;Comoros;Moroni;Comorian|Comoran;Comorians;
COG;Republic of the Congo;Brazzaville;;;Congo-Brazzaville|Republic of Congo|Congo Republic|Congo Brazzaville
CRI;Costa Rica;San José|San Jose;Costa Rican;Costa Ricans;
CIV;Ivory Coast;Yamoussoukro|Abidjan;Ivorian;Ivorians;Côte d'Ivoire|Cote d'Ivoire|Côte d’Ivoire|Cote d’Ivoire
HRV;Croatia;Zagreb;Croatian|Croat;Croatians|Croats;Hrvatska
CUB;Cuba;Havana;Cuban;Cubans;
CYP;Cyprus;Nicosia;Cypriot;Cypriots;
CZE;Czech Republic;Prague;Czech;Czechs;Czechia
PRK;North Korea;Pyongyang;North Korean|N. Korean;North Koreans;DPRK|D.P.R.K.|Democratic People's Republic of Korea
COD;DR Congo;Kinshasa;Congolese;Congolese;DRC|D.R.C.|Democratic Republic of the Congo|Democratic Republic of Congo|Congo-Kinshasa|Congo Kinshasa|Congo
DNK;Denmark;Copenhagen;Danish;Danes;
DJI;Djibouti;Djibouti;Djiboutian;Djiboutians;
DMA;Dominica;Roseau;;;Commonwealth of Dominica
DOM;Dominican Republic;Santo Domingo;Dominican;Dominicans;
ECU;Ecuador;Quito;Ecuadorian|Ecuadorean;Ecuadorians|Ecuadoreans;
EGY;Egypt;Cairo;Egyptian;Egyptians;
SLV;El Salvador;San Salvador;Salvadoran|Salvadorean;Salvadorans|Salvadoreans;
GNQ;Equatorial Guinea;Malabo;Equatorial Guinean|Equatoguinean;Equatorial Guineans|Equatoguineans;
ERI;Eritrea;Asmara;Eritrean;Eritreans;
EST;Estonia;Tallinn;Estonian;Estonians;
SWZ;Eswatini;Mbabane|Lobamba;Swazi;Swazis|Emaswati;Swaziland|eSwatini|Kingdom of Eswatini
ETH;Ethiopia;Addis Ababa;Ethiopian;Ethiopians;
FJI;Fiji;Suva;Fijian;Fijians;
FIN;Finland;Helsinki;Finnish;Finns;
FRA;France;Paris;French;French;
GAB;Gabon;Libreville;Gabonese;Gabonese;
GMB;Gambia;Banjul;Gambian;Gambians;The Gambia
GEO;Georgia;Tbilisi;Georgian;Georgians;
DEU;Germany;Berlin;German;Germans;Deutschland|FRG|West Germany
GHA;Ghana;Accra;Ghanaian;Ghanaians;
GRC;Greece;Athens;Greek|Hellenic;Greeks;Hellas
GRD;Grenada;St. George's|St George's|Saint George's;Grenadian;Grenadians;
GTM;Guatemala;Guatemala City;Guatemalan;Guatemalans;
GIN;Guinea;Conakry;Guinean;Guineans;Guinea-Conakry
GNB;Guinea-Bissau;Bissau;Bissau-Guinean;Bissau-Guineans;Guinea Bissau
GUY;Guyana;Georgetown;Guyanese;Guyanese;
HTI;Haiti;Port-au-Prince;Haitian;Haitians;
HND;Honduras;Tegucigalpa;Honduran;Hondurans;
HUN;Hungary;Budapest;Hungarian;Hungarians;
ISL;Iceland;Reykjavík|Reykjavik;Icelandic;Icelanders;
IND;India;New Delhi|Delhi;Indian;Indians;Bharat
IDN;Indonesia;Jakarta;Indonesian;Indonesians;
IRN;Iran;Tehran|Teheran;Iranian;Iranians;
IRQ;Iraq;Baghdad;Iraqi;Iraqis;
IRL;Ireland;Dublin;Irish;Irish;Éire|Eire
ISR;Israel;Jerusalem;Israeli;Israelis;
ITA;Italy;Rome;Italian;Italians;
JAM;Jamaica;Kingston;Jamaican;Jamaicans;
JPN;Japan;Tokyo;Japanese;Japanese;
JOR;Jordan;Amman;Jordanian;Jordanians;
KAZ;Kazakhstan;Astana|Nur-Sultan;Kazakh|Kazakhstani;Kazakhs|Kazakhstanis;
KEN;Kenya;Nairobi;Kenyan;Kenyans;
KIR;Kiribati;Tarawa|South Tarawa;I-Kiribati;;
KWT;Kuwait;Kuwait City;Kuwaiti;Kuwaitis;
KGZ;Kyrgyzstan;Bishkek;Kyrgyz|Kyrgyzstani|Kirghiz;Kyrgyzstanis;Kirghizia|Kyrgyz Republic
LAO;Laos;Vientiane;Lao|Laotian;Laotians;Lao PDR
LVA;Latvia;Riga;Latvian;Latvians;
LBN;Lebanon;Beirut;Lebanese;Lebanese;
LSO;Lesotho;Maseru;Basotho|Mosotho;;
LBR;Liberia;Monrovia;Liberian;Liberians;
LBY;Libya;Tripoli;Libyan;Libyans;
LIE;Liechtenstein;Vaduz;Liechtensteiner;Liechtensteiners;
LTU;Lithuania;Vilnius;Lithuanian;Lithuanians;
LUX;Luxembourg;Luxembourg|Luxembourg City;Luxembourgish|Luxembourger;Luxembourgers;
MDG;Madagascar;Antananarivo;Malagasy;Malagasy;
MWI;Malawi;Lilongwe;Malawian;Malawians;
MYS;Malaysia;Kuala Lumpur|Putrajaya;Malaysian;Malaysians;
MDV;Maldives;Malé;Maldivian;Maldivians;The Maldives
MLI;Mali;Bamako;Malian;Malians;
MLT;Malta;Valletta;Maltese;Maltese;
MHL;Marshall Islands;Majuro;Marshallese;Marshallese;
MRT;Mauritania;Nouakchott;Mauritanian;Mauritanians;
MUS;Mauritius;Port Louis;Mauritian;Mauritians;
MEX;Mexico;Mexico City;Mexican;Mexicans;
FSM;Micronesia;Palikir;Micronesian;Micronesians;FSM
MDA;Moldova;Chișinău|Chişinău|Chisinau;Moldovan;Moldovans;
MCO;Monaco;Monaco;Monegasque|Monégasque;Monegasques|Monégasques;
MNG;Mongolia;Ulaanbaatar|Ulan Bator;Mongolian;Mongolians;
MNE;Montenegro;Podgorica;Montenegrin;Montenegrins;Crna Gora
MAR;Morocco;Rabat;Moroccan;Moroccans;
MOZ;Mozambique;Maputo;Mozambican;Mozambicans;
MMR;Myanmar;Naypyidaw|Nay Pyi Taw|Naypyitaw;Burmese;Burmese;Burma
NAM;Namibia;Windhoek;Namibian;Namibians;
NRU;Nauru;Yaren;Nauruan;Nauruans;
NPL;Nepal;Kathmandu;Nepali|Nepalese;Nepalis|Nepalese;
NLD;Netherlands;Amsterdam|The Hague;Dutch;Dutch;The Netherlands|Holland
NZL;New Zealand;Wellington;Kiwi;New Zealanders|Kiwis;Aotearoa
NIC;Nicaragua;Managua;Nicaraguan;Nicaraguans;
NER;Niger;Niamey;Nigerien;Nigeriens;
NGA;Nigeria;Abuja;Nigerian;Nigerians;
MKD;North Macedonia;Skopje;Macedonian|North Macedonian;Macedonians|North Macedonians;Macedonia|FYROM|Former Yugoslav Republic of Macedonia|Republic of North Macedonia
NOR;Norway;Oslo;Norwegian;Norwegians;
OMN;Oman;Muscat;Omani;Omanis;
PAK;Pakistan;Islamabad;Pakistani;Pakistanis;
PLW;Palau;Ngerulmud;Palauan;Palauans;
PAN;Panama;Panama City;Panamanian;Panamanians;
PNG;Papua New Guinea;Port Moresby;Papua New Guinean;Papua New Guineans;PNG
PRY;Paraguay;Asunción|Asuncion;Paraguayan;Paraguayans;
PER;Peru;Lima;Peruvian;Peruvians;
PHL;Philippines;Manila;Filipino|Philippine;Filipinos;The Philippines
POL;Poland;Warsaw;Polish;Poles;
PRT;Portugal;Lisbon;Portuguese;Portuguese;
QAT;Qatar;Doha;Qatari;Qataris;
KOR;South Korea;Seoul;South Korean|S. Korean;South Koreans;Korea|ROK|R.O.K.
ROU;Romania;Bucharest;Romanian;Romanians;Roumania|Rumania
RUS;Russia;Moscow;Russian;Russians;Russian Federation
RWA;Rwanda;Kigali;Rwandan;Rwandans;
KNA;Saint Kitts and Nevis;Basseterre;Kittitian|Nevisian;Kittitians|Nevisians;St. Kitts and Nevis|St Kitts and Nevis|St. Kitts|St Kitts|Saint Kitts
LCA;Saint Lucia;Castries;Saint Lucian|St. Lucian|St Lucian;Saint Lucians|St. Lucians|St Lucians;St. Lucia|St Lucia
VCT;Saint Vincent and the Grenadines;Kingstown;Vincentian;Vincentians;St. Vincent and the Grenadines|St Vincent and the Grenadines|St. Vincent|St Vincent|Saint Vincent
WSM;Samoa;Apia;Samoan;Samoans;
SMR;San Marino;San Marino|City of San Marino;Sammarinese;Sammarinese;
STP;Sao Tome and Principe;São Tomé|Sao Tome;Sao Tomean|Santomean;Sao Tomeans|Santomeans;São Tomé and Príncipe|São Tomé e Príncipe
SAU;Saudi Arabia;Riyadh;Saudi|Saudi Arabian;Saudis|Saudi Arabians;KSA
SEN;Senegal;Dakar;Senegalese;Senegalese;
SRB;Serbia;Belgrade;Serbian;Serbs|Serbians;Srbija
SYC;Seychelles;;Seychellois;Seychellois;The Seychelles
SLE;Sierra Leone;Freetown;Sierra Leonean;Sierra Leoneans;
SGP;Singapore;Singapore;Singaporean;Singaporeans;
SVK;Slovakia;Bratislava;Slovak|Slovakian;Slovaks|Slovakians;
SVN;Slovenia;Ljubljana;Slovenian|Slovene;Slovenians|Slovenes;
SLB;Solomon Islands;Honiara;Solomon Islander;Solomon Islanders;Solomons
SOM;Somalia;Mogadishu;Somali;Somalis;
ZAF;South Africa;Pretoria|Cape Town|Bloemfontein;South African;South Africans;RSA
SSD;South Sudan;Juba;South Sudanese;South Sudanese;
ESP;Spain;Madrid;Spanish;Spaniards;
LKA;Sri Lanka;Sri Jayawardenepura Kotte|Kotte|Colombo;Sri Lankan;Sri Lankans;Ceylon
SDN;Sudan;Khartoum;Sudanese;Sudanese;
SUR;Suriname;Paramaribo;Surinamese;Surinamese|Surinamers;Surinam
SWE;Sweden;Stockholm;Swedish;Swedes;
CHE;Switzerland;Bern|Berne;Swiss;Swiss;
SYR;Syria;Damascus;Syrian;Syrians;
TJK;Tajikistan;Dushanbe;Tajik|Tajikistani;Tajiks|Tajikistanis;
THA;Thailand;Bangkok;Thai;Thais;
TLS;East Timor;Dili;East Timorese|Timorese;Timorese;Timor-Leste|Timor Leste
TGO;Togo;Lomé|Lome;Togolese;Togolese;
TON;Tonga;Nuku'alofa|Nuku’alofa|Nukuʻalofa;Tongan;Tongans;
TTO;Trinidad and Tobago;Port of Spain|Port-of-Spain;Trinidadian|Tobagonian;Trinidadians|Tobagonians;Trinidad
TUN;Tunisia;Tunis;Tunisian;Tunisians;
TUR;Turkey;Ankara;Turkish;Turks;Türkiye|Turkiye|Republic of Türkiye
TKM;Turkmenistan;Ashgabat|Ashkhabad;Turkmen;Turkmens;
TUV;Tuvalu;Funafuti;Tuvaluan;Tuvaluans;
UGA;Uganda;Kampala;Ugandan;Ugandans;
UKR;Ukraine;Kyiv|Kiev;Ukrainian;Ukrainians;
ARE;United Arab Emirates;Abu Dhabi;Emirati;Emiratis;UAE|U.A.E.
GBR;United Kingdom;London;British|UK|U.K.;Britons|Brits|British;UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland
TZA;Tanzania;Dodoma|Dar es Salaam;Tanzanian;Tanzanians;
USA;United States;Washington|Washington, D.C.|Washington D.C.|Washington DC;American|U.S.|US;Americans;US|U.S.|USA|U.S.A.|United States of America|America
URY;Uruguay;Montevideo;Uruguayan;Uruguayans;
UZB;Uzbekistan;Tashkent;Uzbek|Uzbekistani;Uzbeks|Uzbekistanis;
VUT;Vanuatu;Port Vila;Vanuatuan|Ni-Vanuatu;Ni-Vanuatu;
VEN;Venezuela;Caracas;Venezuelan;Venezuelans;
VNM;Vietnam;Hanoi;Vietnamese;Vietnamese;Viet Nam
YEM;Yemen;Sanaa|Sana'a|Sana’a|Aden;Yemeni;Yemenis;
ZMB;Zambia;Lusaka;Zambian;Zambians;
ZWE;Zimbabwe;Harare;Zimbabwean;Zimbabweans;
PSE;Palestine;Ramallah;Palestinian;Palestinians;
VAT;Vatican City;Vatican City;Vatican;;Vatican|Holy See|Vatican City State
UNK;Kosovo;Pristina|Priština|Prishtina|Prishtinë;Kosovar|Kosovan;Kosovars|Kosovans;
TWN;Taiwan;Taipei;Taiwanese;Taiwanese;ROC|R.O.C.|Chinese Taipei
ESH;Western Sahara;Laayoune|El Aaiún|El Aaiun;Sahrawi|Saharawi;Sahrawis|Saharawis;Sahrawi Arab Democratic Republic|SADR
"""

# JSON capitals deliberately not kept, with the reason.
CAPITAL_DROPPED = {
    "SYC": "Victoria: also a very common given name; never used as a metonym for the Seychelles government",
    "MDA": "spelling variants only",
}

# JSON aliases/names deliberately not kept (ambiguous or not used in English news).
ALIAS_DROPPED = {
    "Congo",  # JSON name of COG; 'Congo' alone is assigned to DR Congo (AP/Reuters usage)
    "Korea (Republic of)",
    "Island",
    "Republic of Macedonia",  # pre-2019 name; kept as 'Macedonia' alias instead
}

# Formal English long names from altSpellings / JSON name.
FORMAL_RE = re.compile(
    r"^(?:(?:[A-Z][a-z'\-]+|of|the|and|Co-operative) )*"
    r"(?:Republic|Kingdom|State|States|Federation|Commonwealth|Principality|"
    r"Grand Duchy|Union|Sultanate|Confederation|Emirate)"
    r"(?: (?:of|of the) [A-Z][^\s,()]*(?: [^\s,()]+)*)?$"
)
LATIN_OK = re.compile(r"^[A-Za-z0-9 .'’\-&ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ]+$")
NON_ENGLISH_WORDS = {"República", "République", "Republik", "Republika", "Respublika",
                     "Reino", "Royaume", "Estado", "Koninkrijk", "Königreich", "Dawlat"}


def find_json(argv):
    if len(argv) > 1:
        return argv[1]
    home = os.path.expanduser("~")
    hits = glob.glob(os.path.join(home, ".cargo/registry/src/*/iso-rs-0.2.0/build/countries.json"))
    if not hits:
        sys.exit("countries.json of iso-rs 0.2.0 not found; see the docstring")
    return hits[0]


def split(s):
    return [x.strip() for x in s.split("|") if x.strip()]


def formal_names(entry):
    out = []
    for s in [entry.get("name", "")] + list(entry.get("altSpellings") or []):
        s = s.strip()
        if not s or s in ALIAS_DROPPED or not LATIN_OK.match(s):
            continue
        if any(w in NON_ENGLISH_WORDS for w in s.split()):
            continue
        if FORMAL_RE.match(s) or (entry.get("name") == s and "(" not in s and "," not in s):
            out.append(s)
    return out


def main():
    data = json.load(open(find_json(sys.argv), encoding="utf-8"))
    by_code = {e["alpha3Code"]: e for e in data}
    assert len(UN_MEMBERS) == 193, len(UN_MEMBERS)
    assert len(set(UN_MEMBERS)) == 193
    curated = {}
    for line in CURATED.strip().splitlines():
        parts = line.split(";")
        assert len(parts) == 6, line
        if not parts[1]:
            continue
        curated[parts[0]] = parts
    rows = []
    owner = {}  # string -> name, to enforce that every string maps to one country
    for code in UN_MEMBERS + EXTRA:
        e = by_code[code]
        if code not in curated:
            sys.exit(f"no curated row for {code} {e['name']}")
        _, name, caps, adjs, people, aliases = curated[code]
        caps = split(caps)
        jcap = (e.get("capital") or "").strip()
        if jcap and jcap not in caps and code not in CAPITAL_DROPPED:
            print(f"warning: {code}: JSON capital {jcap!r} replaced by {caps}", file=sys.stderr)
        alias_list = split(aliases)
        for f in formal_names(e):
            if f not in alias_list:
                alias_list.append(f)
        alias_list = [a for a in alias_list if a != name]
        adjs, people = split(adjs), split(people)
        for s in set([name] + caps + adjs + people + alias_list):
            if s in owner and owner[s] != name:
                sys.exit(f"string {s!r} used by both {owner[s]} and {name}")
            owner[s] = name
        rows.append((name, caps, adjs, people, alias_list))
    out = sys.stdout
    out.write("# countries.tsv - countries and country-like entities for actor recognition\n")
    out.write("# Format: name<TAB>capitals<TAB>adjectives<TAB>people<TAB>aliases ; lists inside a field are separated by |\n")
    out.write("# name = short English name used in news; capitals = capital city names (metonyms for governments);\n")
    out.write("# adjectives = adjective forms; people = plural/collective nouns for the nation's people; aliases = other names/acronyms.\n")
    out.write("# When the plural people noun equals the adjective (Chinese, French, Swiss, Lebanese) it is in both fields.\n")
    out.write("# Names are given without a leading 'The'; where the press writes one it is also an alias ('The Gambia').\n")
    out.write("# Every string (name, capital, adjective, people noun, alias) maps to exactly one row; ambiguous forms go to\n")
    out.write("# the referent the English-language press usually means (e.g. 'Congo'/'Congolese' -> DR Congo, 'Korea' -> South Korea).\n")
    out.write("# Rows: 193 UN member states + Palestine, Vatican City (Holy See), Kosovo, Taiwan, Western Sahara.\n")
    out.write("# Source: REST Countries data (capitals, formal names from altSpellings; demonyms reviewed by hand) as bundled in the crates.io crate iso-rs 0.2.0\n")
    out.write("# (MIT licence), build/countries.json; manually curated (press names, capitals' spellings, adjective vs\n")
    out.write("# people split, press aliases). Generated by scripts/lexicons/gen_countries.py - edit the script, not this file.\n")
    for name, caps, adjs, people, aliases in rows:
        out.write("\t".join([name, "|".join(caps), "|".join(adjs), "|".join(people), "|".join(aliases)]) + "\n")


if __name__ == "__main__":
    main()
