"""The intent, slot, action and response names that the project's Python spells out as
string literals, found by reading the source with `ast` (nothing is imported or run), so
that tests/test_domain_names.py can hold them against the domain.

A name is collected only where the code says what kind of name it is; a word that merely
equals a domain name ("email", "back", "rate") is not collected. What counts:

Responses
  R1. Every string literal that looks like a response name, `utter_<word>`, except the
      keys of Rasa's own records listed in NOT_NAMES.
  R2. The `response=` (or `template=`) argument of `utter_message`, whatever it looks like.
  R3. An f-string that starts with `utter_`: a family of responses chosen at run time
      (f"utter_guide_{topic}"); the literal prefix is collected.
Actions
  A1. Every string literal that looks like an action name, `action_<word>`, except those in
      NOT_NAMES.
  A2. The first argument (or `action_name=`/`name=`) of `FollowupAction`, `ActionExecuted`
      and `ActiveLoop`: an action, a response or a form.
Slots
  S1. The first argument (or `key=`/`slot=`) of `get_slot(...)` and `SlotSet(...)`, and the
      key in `<x>.slots[...]` and `<x>.slots.get(...)`.
  S2. The value of a variable or constant whose name contains "slot" (one name, or the
      items of a set, list, tuple or frozenset, or the keys of a dict), and the literal key
      in `<name containing slot>[...]`.
  S3. In actions/, the keys of a dict literal returned by a function annotated
      `-> Dict[Text, Any]` (rasa_sdk's type for slot updates, which actions/ keeps for them),
      `**CONSTANT` spreads included.
  S4. In actions/, the `<slot>` of a `validate_<slot>` or `extract_<slot>` method of a
      FormValidationAction: rasa_sdk calls it only for a slot of that name.
  S5. A literal argument, or default, of a parameter named `slot` or `..._slot` of a
      function defined in the project (calls resolved through the module's imports).
Intents
  I1. The value of a variable or constant whose name contains "intent", as in S2, except
      that a dict counts only as an UPPER_CASE constant (TOPIC_OF_INTENT: its keys); a
      lower-case `intent` dict is Rasa's record of one intent ({"name": ..., ...}).
  I2. What is compared (`==`, `!=`, `in`, `not in`) with an intent: a literal, a literal
      collection, or a constant of the module or imported into it (followed through `|`).
      An intent is: a variable or attribute named `intent` or `..._intent`, a call of a
      function named `..._intent` (latest_intent), `<x>.get("name")` or `<x>["name"]` of
      `<y>.get("intent")` or `<y>["intent"]` (parse data), `a or b` with one of these, or a
      local variable that the function assigned one of these.
  I3. The keys of a constant dict looked up with an intent (`TOPIC_ANSWERS.get(intent)`).
  I4. A literal argument, or default, of a parameter named `intent` or `..._intent` (as S5).

Only strings shaped like an identifier are collected by S2, I1 and I4 ("" is no name).
Not covered: names built at run time beyond the f-string prefixes of R3, and names held in
tables without a telling name (bot/demo_history.py's TURNS, whose rows mix intents and text).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

INTENT, SLOT, ACTION, RESPONSE, RESPONSE_PREFIX = (
    "intent", "slot", "action", "response", "response prefix")

# strings shaped like action or response names that are not: keys of Rasa's own records
NOT_NAMES: Dict[str, str] = {
    "utter_action": "the key under which Rasa's bot events record the response said",
    "action_name": "the tracker store's column for an action event's name",
    "action_server": "the action server, a service (health report key)",
    "action_server_unavailable": "an outage reason: the action server is down",
}

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESPONSE = re.compile(r"^utter_[a-z0-9_]+$")
_ACTION = re.compile(r"^action_[a-z0-9_]+$")
_SLOT_DICT_RETURN = "Dict[Text, Any]"
_ACTION_EVENTS = {"FollowupAction": ("name",), "ActionExecuted": ("action_name",),
                  "ActiveLoop": ("name",)}
_COLLECTIONS = {"frozenset", "set", "tuple", "list", "sorted"}


@dataclass(frozen=True)
class Use:
    """One name that the code uses: what kind, which name, where, and which rule found it."""

    kind: str
    name: str
    path: str
    line: int
    rule: str

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ActionClass:
    """A class in actions/ whose `name()` returns a name the action server registers."""

    name: Optional[str]  # None: name() returns something that cannot be read statically
    class_name: str
    path: str
    line: int


@dataclass
class Module:
    """One parsed source file, with what its top level binds."""

    dotted: str
    path: str
    tree: ast.Module
    constants: Dict[str, ast.expr]
    imported_names: Dict[str, Tuple[str, str]]  # local name -> (module, name)
    imported_modules: Dict[str, str]  # local name -> module
    functions: Dict[str, ast.FunctionDef]
    classes: Dict[str, ast.ClassDef]


def python_files(root: Path, packages: Sequence[str]) -> List[Path]:
    return sorted(path for package in packages for path in (root / package).rglob("*.py"))


def parse_module(root: Path, path: Path) -> Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(root)
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = Module(".".join(parts), relative.as_posix(), tree, {}, {}, {}, {}, {})
    package = ".".join(parts if relative.name == "__init__.py" else parts[:-1])
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    module.constants[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            module.constants[node.target.id] = node.value
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join([*base, source] if source else base)
            for alias in node.names:
                local = alias.asname or alias.name
                module.imported_names[local] = (source, alias.name)
                module.imported_modules[local] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module.imported_modules[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.functions[node.name] = node  # type: ignore[assignment]
        elif isinstance(node, ast.ClassDef):
            module.classes[node.name] = node
    return module


class Project:
    """Every scanned module, and the names found in them."""

    def __init__(self, root: Path, packages: Sequence[str]) -> None:
        self.root = root
        self.modules: Dict[str, Module] = {}
        for path in python_files(root, packages):
            module = parse_module(root, path)
            self.modules[module.dotted] = module
        actions = [m for m in self.modules.values() if m.dotted.split(".")[0] == "actions"]
        self.form_classes = _subclasses(actions, {"FormValidationAction"})
        self.action_class_names = _subclasses(actions, {"Action", "FormValidationAction"})

    # --- following names to their values ----------------------------------------------------
    def constant(self, module: Module, name: str,
                 seen: Tuple[str, ...] = ()) -> Optional[Tuple[Module, ast.expr]]:
        """The top-level value a name stands for in a module, following `from m import x`."""
        if name in module.constants:
            return module, module.constants[name]
        if name in module.imported_names and len(seen) < 8:
            source, original = module.imported_names[name]
            if source in self.modules:
                return self.constant(self.modules[source], original, (*seen, name))
        return None

    def strings(self, module: Module, node: Optional[ast.expr], keys: bool = True,
                depth: int = 0) -> Iterator[Tuple[Module, ast.Constant]]:
        """The string literals a value is made of: itself, a collection's items, a dict's keys
        (or nothing of a dict when keys is False), through `|`, `+` and named constants."""
        if node is None or depth > 8:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield module, node
        elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            for item in node.elts:
                yield from self.strings(module, item, keys, depth + 1)
        elif isinstance(node, ast.Dict) and keys:
            for key, value in zip(node.keys, node.values):
                if key is None:  # **spread
                    yield from self.strings(module, value, keys, depth + 1)
                else:
                    yield from self.strings(module, key, keys, depth + 1)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.Add)):
            yield from self.strings(module, node.left, keys, depth + 1)
            yield from self.strings(module, node.right, keys, depth + 1)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in _COLLECTIONS and len(node.args) == 1):
            yield from self.strings(module, node.args[0], keys, depth + 1)
        elif isinstance(node, ast.Name):
            found = self.constant(module, node.id)
            if found is not None:
                yield from self.strings(found[0], found[1], keys, depth + 1)

    def function(self, module: Module, call: ast.Call,
                 scope: Optional[ast.ClassDef]) -> Optional[Tuple[ast.FunctionDef, bool]]:
        """The project function a call runs, and whether it is a method called on self."""
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in module.functions:
                return module.functions[func.id], False
            if func.id in module.imported_names:
                source, original = module.imported_names[func.id]
                target = self.modules.get(source)
                if target is not None and original in target.functions:
                    return target.functions[original], False
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id == "self" and scope is not None:
                method = _method(scope, func.attr)
                return None if method is None else (method, True)
            if func.value.id in module.imported_modules:
                target = self.modules.get(module.imported_modules[func.value.id])
                if target is not None and func.attr in target.functions:
                    return target.functions[func.attr], False
        return None

    # --- collecting ------------------------------------------------------------------------
    def uses(self) -> List[Use]:
        found: List[Use] = []
        for module in self.modules.values():
            found += _Collector(self, module).collect()
        return found

    def action_classes(self) -> List[ActionClass]:
        """The rasa_sdk actions in actions/ (subclasses of Action, by class name), each with
        what its `name()` returns; abstract ones are left out, as rasa_sdk leaves them."""
        classes: List[ActionClass] = []
        for module in self.modules.values():
            if module.dotted.split(".")[0] != "actions":
                continue
            for cls in module.classes.values():
                method = _method(cls, "name") if cls.name in self.action_class_names else None
                if method is None or _is_abstract(method):
                    continue
                returned = [node.value for node in ast.walk(method)
                            if isinstance(node, ast.Return) and node.value is not None]
                names = [s.value for value in returned for _, s in self.strings(module, value)]
                classes.append(ActionClass(names[0] if len(names) == 1 else None, cls.name,
                                           module.path, method.lineno))
        return classes


def _method(cls: ast.ClassDef, name: str) -> Optional[ast.FunctionDef]:
    for item in cls.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name:
            return item  # type: ignore[return-value]
    return None


def _is_abstract(function: ast.FunctionDef) -> bool:
    return any(isinstance(d, (ast.Name, ast.Attribute))
               and (d.id if isinstance(d, ast.Name) else d.attr) == "abstractmethod"
               for d in function.decorator_list)


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _kind_of_identifier(identifier: str) -> Optional[str]:
    lowered = identifier.lower()
    if "intent" in lowered:
        return INTENT
    if "slot" in lowered:
        return SLOT
    return None


def _kind_of_parameter(parameter: str) -> Optional[str]:
    for kind in (INTENT, SLOT):
        if parameter == kind or parameter.endswith(f"_{kind}"):
            return kind
    return None


def _literal(node: Optional[ast.expr]) -> Optional[ast.Constant]:
    return node if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_get(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get")


def _key(node: ast.expr, key: str) -> bool:
    """Whether node is `<x>.get(key)` or `<x>[key]`, possibly inside `... or {}`."""
    if isinstance(node, ast.BoolOp):
        return any(_key(value, key) for value in node.values)
    if _is_get(node):
        literal = _literal(node.args[0]) if node.args else None  # type: ignore[attr-defined]
        return literal is not None and literal.value == key
    if isinstance(node, ast.Subscript):
        index = _literal(node.slice)
        return index is not None and index.value == key
    return False


def is_intent(node: ast.expr, aliases: FrozenSet[str] = frozenset()) -> bool:
    """Whether an expression evaluates to an intent's name (rule I2); aliases are the local
    variables that were assigned one."""
    def named(identifier: str) -> bool:
        return identifier == "intent" or identifier.endswith("_intent")

    if isinstance(node, ast.Name):
        return named(node.id) or node.id in aliases
    if isinstance(node, ast.Attribute):
        return named(node.attr)
    if isinstance(node, ast.BoolOp):
        return any(is_intent(value, aliases) for value in node.values)
    if _is_get(node):
        return _key(node, "name") and _key(node.func.value, "intent")  # type: ignore[attr-defined]
    if isinstance(node, ast.Call):
        return named(_called(node))
    if isinstance(node, ast.Subscript):
        return _key(node, "name") and _key(node.value, "intent")
    return False


class _Collector(ast.NodeVisitor):
    """Walks one module and records each name by the rules in this module's docstring."""

    def __init__(self, project: Project, module: Module) -> None:
        self.project = project
        self.module = module
        self.found: List[Use] = []
        self.scope: List[ast.ClassDef] = []
        self.aliases: List[FrozenSet[str]] = [frozenset()]
        self.in_fstring = 0
        self.in_actions = module.dotted.split(".")[0] == "actions"
        self.form_classes = project.form_classes if self.in_actions else set()

    def collect(self) -> List[Use]:
        self.visit(self.module.tree)
        return self.found

    def add(self, kind: str, node: ast.Constant, rule: str, identifier_only: bool = False) -> None:
        if identifier_only and not _IDENTIFIER.match(node.value):
            return
        self.found.append(Use(kind, node.value, self.module.path, node.lineno, rule))

    def add_all(self, kind: str, value: Optional[ast.expr], rule: str, keys: bool = True) -> None:
        """Every identifier-shaped string of a value; one defined in another module (an
        imported constant) is reported where it is written."""
        for source, literal in self.project.strings(self.module, value, keys):
            if _IDENTIFIER.match(literal.value):
                self.found.append(Use(kind, literal.value, source.path, literal.lineno, rule))

    # --- structure -----------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node)
        self.generic_visit(node)
        self.scope.pop()

    def is_intent(self, node: ast.expr) -> bool:
        return is_intent(node, self.aliases[-1])

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.aliases.append(self.aliases[-1] | _intent_aliases(node))
        self._parameters(node)
        cls = self.scope[-1] if self.scope else None
        if cls is not None and cls.name in self.form_classes:
            match = re.match(r"^(validate|extract)_(\w+)$", node.name)
            if match and node.name != "validate":
                self.found.append(Use(SLOT, match.group(2), self.module.path, node.lineno,
                                      f"S4 {match.group(1)}_<slot> method of a form"))
        returns = ast.unparse(node.returns) if node.returns is not None else ""
        if self.in_actions and returns == _SLOT_DICT_RETURN:
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return):
                    for value in _returned_dicts(ret.value):
                        self.add_all(SLOT, value, "S3 key of a returned slot dict")
        self.generic_visit(node)
        self.aliases.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def _parameters(self, node: ast.FunctionDef) -> None:
        positional = [*node.args.posonlyargs, *node.args.args]
        with_defaults = positional[len(positional) - len(node.args.defaults):]
        defaults = list(zip(with_defaults, node.args.defaults))
        defaults += [(arg, d) for arg, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d]
        for arg, default in defaults:
            kind = _kind_of_parameter(arg.arg)
            literal = _literal(default)
            if kind and literal is not None:
                rule = f"{'I4' if kind == INTENT else 'S5'} default of parameter {arg.arg}"
                self.add(kind, literal, rule, identifier_only=True)

    # --- string literals -----------------------------------------------------------------
    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        first = _literal(node.values[0]) if node.values else None
        if first is not None and first.value.startswith("utter_"):
            self.found.append(Use(RESPONSE_PREFIX, first.value, self.module.path, node.lineno,
                                  "R3 f-string response name"))
        self.in_fstring += 1
        self.generic_visit(node)
        self.in_fstring -= 1

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str) or self.in_fstring or node.value in NOT_NAMES:
            return
        if _RESPONSE.match(node.value):
            self.add(RESPONSE, node, "R1 utter_ literal")
        elif _ACTION.match(node.value):
            self.add(ACTION, node, "A1 action_ literal")

    # --- assignments ---------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            kind = _kind_of_identifier(target.id)
            if kind is not None:
                rule = f"{'I1' if kind == INTENT else 'S2'} value of {target.id}"
                # a lower-case `intent` dict is Rasa's record of one ({"name": ..., ...})
                self.add_all(kind, value, rule, keys=kind == SLOT or target.id.isupper())

    def visit_Subscript(self, node: ast.Subscript) -> None:
        literal = _literal(node.slice)
        if literal is not None:
            if isinstance(node.value, ast.Name) and _kind_of_identifier(node.value.id) == SLOT:
                self.add(SLOT, literal, f"S2 key of {node.value.id}")
            elif isinstance(node.value, ast.Attribute) and node.value.attr == "slots":
                self.add(SLOT, literal, "S1 tracker.slots[...]")
        elif self.is_intent(node.slice):
            self._looked_up_with_intent(node.value)
        self.generic_visit(node)

    # --- comparisons ---------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for left, op, right in zip(operands, node.ops, operands[1:]):
            if isinstance(op, (ast.Eq, ast.NotEq)):
                for one, other in ((left, right), (right, left)):
                    if self.is_intent(one):
                        self.add_all(INTENT, other, "I2 compared with an intent", keys=False)
            elif isinstance(op, (ast.In, ast.NotIn)) and self.is_intent(left):
                self.add_all(INTENT, right, "I2 an intent looked for in it", keys=False)
        self.generic_visit(node)

    def _looked_up_with_intent(self, container: ast.expr) -> None:
        if isinstance(container, ast.Name):
            found = self.project.constant(self.module, container.id)
            if found is not None and isinstance(found[1], ast.Dict):
                self.add_all(INTENT, container, "I3 keys of a dict looked up with an intent")

    # --- calls ---------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        called = _called(node)
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        first = node.args[0] if node.args else None
        if called == "utter_message":
            for keyword in ("response", "template"):
                literal = _literal(keywords.get(keyword))
                if literal is not None:
                    self.add(RESPONSE, literal, "R2 utter_message(response=...)")
        elif called in ("get_slot", "SlotSet"):
            named = first if first is not None else keywords.get("key", keywords.get("slot"))
            literal = _literal(named)
            if literal is not None:
                self.add(SLOT, literal, f"S1 {called}(...)")
        elif called in _ACTION_EVENTS:
            names = [first, *(keywords.get(k) for k in _ACTION_EVENTS[called])]
            for literal in filter(None, map(_literal, names)):
                self.add(ACTION, literal, f"A2 {called}(...)")
        elif (called == "get" and isinstance(node.func, ast.Attribute) and first is not None):
            owner = node.func.value
            literal = _literal(first)
            if isinstance(owner, ast.Attribute) and owner.attr == "slots" and literal is not None:
                self.add(SLOT, literal, "S1 tracker.slots.get(...)")
            elif self.is_intent(first):
                self._looked_up_with_intent(owner)
        self._arguments(node)
        self.generic_visit(node)

    def _arguments(self, node: ast.Call) -> None:
        resolved = self.project.function(self.module, node, self.scope[-1] if self.scope else None)
        if resolved is None:
            return
        function, on_self = resolved
        parameters = [arg.arg for arg in [*function.args.posonlyargs, *function.args.args]]
        if on_self:
            parameters = parameters[1:]
        bound = [*zip(parameters, node.args),
                 *((kw.arg, kw.value) for kw in node.keywords if kw.arg)]
        for parameter, value in bound:
            kind = _kind_of_parameter(parameter)
            literal = _literal(value)
            if kind and literal is not None:
                rule = f"{'I4' if kind == INTENT else 'S5'} argument {parameter} of {function.name}"
                self.add(kind, literal, rule, identifier_only=True)


def _intent_aliases(function: ast.FunctionDef) -> FrozenSet[str]:
    """The function's variables assigned an intent (`final = (...).get("name") or ...`)."""
    aliases: FrozenSet[str] = frozenset()
    for _ in range(2):  # an alias of an alias
        aliases |= {node.targets[0].id for node in ast.walk(function)
                    if isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and is_intent(node.value, aliases)}
    return aliases


def _returned_dicts(value: Optional[ast.expr]) -> Iterable[ast.Dict]:
    if isinstance(value, ast.Dict):
        yield value
    elif isinstance(value, ast.IfExp):
        yield from _returned_dicts(value.body)
        yield from _returned_dicts(value.orelse)
    elif isinstance(value, ast.BoolOp):
        for item in value.values:
            yield from _returned_dicts(item)


def _subclasses(modules: Sequence[Module], roots: Set[str]) -> Set[str]:
    """The names of the modules' classes derived from the roots, directly or through another
    of their classes (AccountProofForm)."""
    found: Set[str] = set()
    classes = [cls for module in modules for cls in module.classes.values()]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            bases = {ast.unparse(base).split(".")[-1] for base in cls.bases}
            if cls.name not in found and bases & (roots | found):
                found.add(cls.name)
                changed = True
    return found
