"""Short names and one-line descriptions of the problem codes, for SARIF rule metadata.

The messages themselves are written where each problem is found; this table only names the
*kind* of finding, so code-scanning dashboards can group results and show a help text. A code
missing here still works: it falls back to the description of its family (``ADV3xx`` ...).
"""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "ADV100": ("FileUnreadable", "A file or folder cannot be read."),
    "ADV101": ("InvalidYaml", "The file is not valid YAML."),
    "ADV102": ("YamlAlias", "YAML anchors and aliases are not allowed."),
    "ADV103": ("DuplicateKey", "A mapping key appears twice."),
    "ADV104": ("YamlTag", "YAML tags are not allowed."),
    "ADV105": ("MultipleDocuments", "A file holds more than one YAML document."),
    "ADV106": ("ComplexKey", "A mapping key is a list or mapping."),
    "ADV107": ("TooDeep", "The file nests too deeply."),
    "ADV108": ("TooLarge", "The file is over the size limit."),
    "ADV109": ("NotUtf8", "The file is not UTF-8 text."),
    "ADV110": ("NoRulesDirectory", "A rules directory does not exist."),
    "ADV111": ("NoQuestionnaire", "The base rules directory has no questionnaire."),
    "ADV120": ("OutputUnwritable", "An output file cannot be written."),
    "ADV201": ("UnknownKey", "A key is not allowed at this place."),
    "ADV202": ("MissingKey", "A required key is missing."),
    "ADV203": ("InvalidValue", "A value does not fit its field."),
    "ADV301": ("ExpressionSyntax", "An expression is not valid syntax."),
    "ADV302": ("AttributeAccess", "Attribute access is not allowed in expressions."),
    "ADV303": ("PrivateName", "Names starting with '_' are not allowed in expressions."),
    "ADV304": ("ForbiddenCall", "Only the listed functions may be called."),
    "ADV305": ("Subscript", "Subscripts and slices are not allowed."),
    "ADV306": ("Comprehension", "Comprehensions are not allowed."),
    "ADV307": ("Lambda", "Lambdas are not allowed."),
    "ADV308": ("Assignment", "Assignment expressions are not allowed."),
    "ADV309": ("FString", "f-strings are not allowed."),
    "ADV310": ("Exponent", "The exponent of '**' must be a small literal."),
    "ADV311": ("ExpressionTooLong", "An expression is over the length limit."),
    "ADV312": ("ExpressionTooDeep", "An expression is too large or nests too deeply."),
    "ADV313": ("UnknownName", "An expression names an unknown fact."),
    "ADV314": ("TypeMismatch", "An expression mixes types."),
    "ADV315": ("UnknownOption", "A literal is not an option of the choice it is compared with."),
    "ADV316": ("ForbiddenConstruct", "An operator or literal is not allowed."),
    "ADV317": ("BadArguments", "A function gets the wrong arguments."),
    "ADV319": ("WrongResultType", "An expression gives the wrong type."),
    "ADV401": ("DuplicateId", "An id is defined twice."),
    "ADV402": ("DisablesNothing", "A rule switches off a rule no earlier layer defines."),
    "ADV403": ("UnknownCategory", "A rule names an undefined category."),
    "ADV404": ("IncompleteRule", "A rule lacks a category or a reason."),
    "ADV405": ("BadDependency", "Derived facts form a cycle, or a rule reads what it must not."),
    "ADV406": ("BadWeight", "A category weight is negative or not finite."),
    "ADV407": ("NoSource", "A rule cites no source."),
    "ADV408": ("UnknownSource", "A rule cites an undefined source."),
    "ADV409": ("UnknownModel", "A rule excludes a model the catalog does not have."),
    "ADV410": ("NoEffect", "A rule has no effect or can never fire."),
    "ADV411": ("UnusedFact", "A derived fact is not used."),
    "ADV412": ("BadPlaceholder", "A 'because' text has a bad placeholder."),
    "ADV413": ("NeverFires", "A rule's condition can never hold for any answers."),
    "ADV414": ("NeverAsked", "A question's ask_if can never hold, so it is never asked."),
    "ADV415": ("RedundantOverride", "A later layer repeats an earlier definition unchanged."),
    "ADV416": ("NewIncompleteCatalogEntry", "A catalog override names an entry no layer has."),
    "ADV417": ("BadScoreFact", "A rule's score names a fact that is not a number."),
    "ADV501": ("UnknownQuestion", "An answer names a question that does not exist."),
    "ADV502": ("WrongAnswerType", "An answer has the wrong type."),
    "ADV503": ("UnknownAnswerOption", "An answer is not an option of its question."),
    "ADV504": ("AnswerOutOfRange", "An answer is outside its question's range."),
    "ADV601": ("BadCatalogSection", "A catalog file has an unknown or malformed section."),
    "ADV602": ("BadCatalogEntry", "A catalog entry has no text id."),
    "ADV603": ("InvalidCatalogEntry", "A catalog entry does not fit its schema."),
    "ADV604": ("StaleFigure", "A catalog figure is older than the staleness limit."),
}

FAMILIES: dict[str, tuple[str, str]] = {
    "1": ("YamlProblem", "The file cannot be read as safe YAML."),
    "2": ("SchemaProblem", "The file does not fit its schema."),
    "3": ("ExpressionProblem", "An expression is invalid."),
    "4": ("ReferenceProblem", "A reference or definition is wrong."),
    "5": ("AnswerProblem", "An answer is invalid."),
    "6": ("CatalogProblem", "The catalog is invalid."),
    "7": ("TestProblem", "A scenario test is invalid."),
}


def describe(code: str) -> tuple[str, str]:
    """(name, description) of a problem code; unknown codes get their family's."""
    if code in CODES:
        return CODES[code]
    family = code[3:4] if code.startswith("ADV") else ""
    return FAMILIES.get(family, ("Problem", "A problem found by advisor."))
