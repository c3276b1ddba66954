"""Codes from the IATI 2.03 codelists that Comuna writes (generated from the official codelist files)."""

CURRENCIES = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYR", "BZD", "CAD", "CDF", "CHF", "CLF", "CLP", "CNY",
    "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EEK", "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LTL", "LVL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRO", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB",
    "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK",
    "SGD", "SHP", "SLL", "SOS", "SRD", "SSP", "STD", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "USS", "UYI", "UYU", "UZS", "VEF", "VND", "VUV", "WST", "XAF",
    "XBT", "XCD", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMK", "ZWL",
})

COUNTRIES = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AN", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB",
    "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ",
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY",
    "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO",
    "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
    "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR",
    "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO",
    "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV",
    "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE",
    "YT", "ZA", "ZM", "ZW",
})

ORGANISATION_TYPES = frozenset({
    "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90",
})

LANGUAGES = frozenset({
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn",
    "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo",
    "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi",
    "ho", "hr", "ht", "hu", "hy", "hz", "id", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki",
    "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt",
    "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn",
    "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru",
    "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw",
    "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve",
    "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
})

DAC_SECTORS = frozenset({
    "11110", "11120", "11130", "11182", "11220", "11230", "11231", "11232", "11240", "11320", "11321", "11322",
    "11330", "11420", "11430", "12110", "12181", "12182", "12191", "12220", "12230", "12240", "12250", "12261",
    "12262", "12263", "12281", "13010", "13020", "13030", "13040", "13081", "14010", "14015", "14020", "14021",
    "14022", "14030", "14031", "14032", "14040", "14050", "14081", "15110", "15111", "15112", "15113", "15114",
    "15116", "15117", "15118", "15119", "15120", "15121", "15122", "15123", "15124", "15125", "15126", "15127",
    "15128", "15129", "15130", "15131", "15132", "15133", "15134", "15135", "15136", "15137", "15140", "15142",
    "15143", "15144", "15150", "15151", "15152", "15153", "15154", "15155", "15156", "15160", "15161", "15162",
    "15163", "15164", "15170", "15180", "15185", "15210", "15220", "15230", "15240", "15250", "15261", "16010",
    "16011", "16012", "16013", "16014", "16015", "16020", "16030", "16040", "16050", "16061", "16062", "16063",
    "16064", "16065", "16066", "21010", "21011", "21012", "21013", "21020", "21021", "21022", "21023", "21024",
    "21030", "21040", "21050", "21061", "21081", "22010", "22011", "22012", "22013", "22020", "22030", "22040",
    "23010", "23020", "23030", "23040", "23050", "23061", "23062", "23063", "23064", "23065", "23066", "23067",
    "23068", "23069", "23070", "23081", "23082", "23110", "23111", "23112", "23181", "23182", "23183", "23210",
    "23220", "23230", "23240", "23250", "23260", "23270", "23310", "23320", "23330", "23340", "23350", "23360",
    "23410", "23510", "23610", "23620", "23630", "23640", "24010", "24020", "24030", "24040", "24081", "25010",
    "25020", "31110", "31120", "31130", "31140", "31150", "31161", "31162", "31163", "31164", "31165", "31166",
    "31181", "31182", "31191", "31192", "31193", "31194", "31195", "31210", "31220", "31261", "31281", "31282",
    "31291", "31310", "31320", "31381", "31382", "31391", "32110", "32120", "32130", "32140", "32161", "32162",
    "32163", "32164", "32165", "32166", "32167", "32168", "32169", "32170", "32171", "32172", "32182", "32210",
    "32220", "32261", "32262", "32263", "32264", "32265", "32266", "32267", "32268", "32310", "33110", "33120",
    "33130", "33140", "33150", "33181", "33210", "41010", "41020", "41030", "41040", "41050", "41081", "41082",
    "43010", "43030", "43031", "43032", "43040", "43041", "43042", "43050", "43081", "43082", "51010", "52010",
    "53030", "53040", "60010", "60020", "60030", "60040", "60061", "60062", "60063", "72010", "72040", "72050",
    "73010", "74010", "91010", "92010", "92020", "92030", "93010", "99810", "99820",
})

# IATI DocumentCategory (active codes), with the codelist's own English and French names.
DOCUMENT_CATEGORIES = {
    "A01": {"en": "Pre- and post-project impact appraisal", "fr": "Évaluation de l’impact avant et après le projet"},
    "A02": {"en": "Objectives / Purpose of activity", "fr": "Objectifs/finalités de l’activité"},
    "A03": {"en": "Intended ultimate beneficiaries", "fr": "Bénéficiaires finaux visés"},
    "A04": {"en": "Conditions", "fr": "Conditions"},
    "A05": {"en": "Budget", "fr": "Budget"},
    "A06": {"en": "Summary information about contract", "fr": "Résumé du contrat"},
    "A07": {"en": "Review of project performance and evaluation", "fr": "Examen de la performance du projet et évaluation"},
    "A08": {"en": "Results, outcomes and outputs", "fr": "Résultats, réalisations et produits"},
    "A09": {"en": "Memorandum of understanding (If agreed by all parties)", "fr": "Protocole d’accord (si celui-ci a été approuvé par toutes les parties)"},
    "A10": {"en": "Tender", "fr": "Appel d’offres"},
    "A11": {"en": "Contract", "fr": "Contrat"},
    "A12": {"en": "Activity web page", "fr": "Page Web sur les activités"},
    "B01": {"en": "Annual report", "fr": "Rapport annuel"},
    "B02": {"en": "Institutional Strategy paper", "fr": "Document de stratégie institutionnelle"},
    "B03": {"en": "Country strategy paper", "fr": "Document de stratégie nationale"},
    "B04": {"en": "Aid Allocation Policy", "fr": "Politique d’affectation de l’aide"},
    "B05": {"en": "Procurement Policy and Procedure", "fr": "Politique et procédure d’approvisionnement"},
    "B06": {"en": "Institutional Audit Report", "fr": "Rapport d’audit institutionnel"},
    "B07": {"en": "Country Audit Report", "fr": "Rapport d’audit de pays"},
    "B08": {"en": "Exclusions Policy", "fr": "Politique relative aux exclusions"},
    "B09": {"en": "Institutional Evaluation Report", "fr": "Rapport d’évaluation institutionnelle"},
    "B10": {"en": "Country Evaluation Report", "fr": "Rapport d’évaluation nationale"},
    "B11": {"en": "Sector strategy", "fr": "Stratégie sectorielle"},
    "B12": {"en": "Thematic strategy", "fr": "Stratégie thématique"},
    "B13": {"en": "Country-level Memorandum of Understanding", "fr": "Protocole d’accord national"},
    "B14": {"en": "Evaluations policy", "fr": "Politique relative aux évaluations"},
    "B15": {"en": "General Terms and Conditions", "fr": "Conditions générales"},
    "B16": {"en": "Organisation web page", "fr": "Page Web sur l’organisation"},
    "B17": {"en": "Country/Region web page", "fr": "Page Web sur les pays/régions"},
    "B18": {"en": "Sector web page", "fr": "Page Web sur les secteurs"},
}

# Document formats offered for a linked document (IANA media types, all in the IATI FileFormat codelist).
LINK_FORMATS = ("text/html", "application/pdf", "application/vnd.oasis.opendocument.text",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/csv",
                "application/vnd.ms-excel", "image/jpeg", "image/png")
