# Norwegian bokmål: "18. des. 2026" ("N" is Django's abbreviated month: "des.", "mai").
DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = "j. N Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j. N"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
