"""Limits on what one query may ask, and what an error may say.

Depth, aliases and tokens use Strawberry's own extensions. Cost is limited twice:

* before anything runs, :class:`CostRule` estimates the worst case (each list
  multiplies what is asked inside it by its page size) and refuses only what
  could be abusive whatever the data (:data:`MAX_COST`);
* while it runs, :class:`CountingExecution` counts what is actually resolved
  (each list charges its length times the fields asked per item) and stops a
  query past :data:`MAX_RESOLVED`. So ``accounts(first: 50) { contacts(first: 200)
  {...} }`` runs, costing what the accounts really hold, not 50 x 200.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sized
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from graph.errors import NotFound, PermissionDenied, StoreUnavailable, ValidationError

log = logging.getLogger("accountgraph.api")

MAX_DEPTH = 10
MAX_ALIASES = 20
MAX_TOKENS = 3_000
MAX_COST = 2_000_000  # worst case, estimated before running: refuses only the abusive
MAX_RESOLVED = 100_000  # fields actually resolved inside lists, counted while running

# Lists without a `first` argument: a generous guess at their length.
_UNPAGED_LIST = {"departments": 13, "team": 10, "profileItems": 10, "opportunities": 20,
                 "directReports": 10, "reportingLine": 12, "ownershipHistory": 5,
                 "touchpoints": DEFAULT_PAGE_SIZE, "search": 20,
                 # Database readings: lists inside are capped by `first` (default 50).
                 "concentration": DEFAULT_PAGE_SIZE, "purchasePlan": DEFAULT_PAGE_SIZE,
                 "revenueTriggers": 2 * DEFAULT_PAGE_SIZE, "mix": 20}


def _multiplier(node: FieldNode) -> int:
    for arg in node.arguments or ():
        if arg.name.value == "first":
            if isinstance(arg.value, IntValueNode):
                return max(1, int(arg.value.value))
            if isinstance(arg.value, VariableNode):
                return MAX_PAGE_SIZE  # not known until execution: assume the worst
    if node.selection_set is None:
        return 1
    name = node.name.value
    if any(a.name.value == "after" for a in node.arguments or ()):
        return DEFAULT_PAGE_SIZE
    return _UNPAGED_LIST.get(name, 1)


class CostRule(ValidationRule):
    def __init__(self, context: ValidationContext):
        super().__init__(context)
        self.fragments = {
            d.name.value: d for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }

    def _cost(self, sel: SelectionSetNode | None, mult: int, seen: frozenset[str]) -> int:
        total = 0
        for s in sel.selections if sel else ():
            if isinstance(s, FieldNode):
                total += mult
                if s.selection_set is not None:
                    total += self._cost(s.selection_set, mult * _multiplier(s), seen)
            elif isinstance(s, InlineFragmentNode):
                total += self._cost(s.selection_set, mult, seen)
            elif isinstance(s, FragmentSpreadNode) and s.name.value not in seen:
                frag = self.fragments.get(s.name.value)
                if frag is not None:
                    total += self._cost(frag.selection_set, mult, seen | {s.name.value})
        return total

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        cost = self._cost(node.selection_set, 1, frozenset())
        if cost > MAX_COST:
            self.report_error(GraphQLError(
                f"query cost {cost} is over the limit {MAX_COST} even before running: each "
                "list multiplies what is asked inside it by its page size; ask for smaller "
                "pages (first) or fewer nested lists", node))


def _width(selection: SelectionSetNode | None, fragments: dict[str, Any],
           seen: frozenset[str] = frozenset()) -> int:
    """Fields asked per item of a list (nested lists charge their own items)."""
    if selection is None:
        return 1
    total = 0
    for s in selection.selections:
        if isinstance(s, FieldNode):
            total += 1
        elif isinstance(s, InlineFragmentNode):
            total += _width(s.selection_set, fragments, seen)
        elif isinstance(s, FragmentSpreadNode) and s.name.value not in seen:
            frag = fragments.get(s.name.value)
            if frag is not None:
                total += _width(frag.selection_set, fragments, seen | {s.name.value})
    return max(total, 1)


class CountingExecution(StrawberryGraphQLCoreExecutionContext):
    """Execution that counts the fields resolved inside lists and stops past MAX_RESOLVED.

    One count per list, not per field: a list of n items charges n times the fields
    asked per item before they are resolved, so a query stops before the work, and
    the fields outside lists are bounded by the token limit already.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolved = 0
        self._widths: dict[int, int] = {}

    def complete_list_value(self, return_type: Any, field_details_list: Any,
                            info: GraphQLResolveInfo, path: Any, result: Any,
                            *rest: Any) -> Any:
        if isinstance(result, Sized):
            node = field_details_list[0].node
            width = self._widths.get(id(node))
            if width is None:
                width = self._widths[id(node)] = _width(node.selection_set, info.fragments)
            self.resolved += len(result) * width
            if self.resolved > MAX_RESOLVED:
                raise GraphQLError(
                    f"this query resolves more than {MAX_RESOLVED} fields (at "
                    f"{'.'.join(map(str, path.as_list()))}, {self.resolved} so far): ask "
                    "for smaller pages (first), fewer fields or fewer nested lists, and page on "
                    "with after")
        return super().complete_list_value(return_type, field_details_list, info, path,
                                           result, *rest)


# Our own errors carry messages written for the caller; anything else may hold
# internals (driver text, paths), so it is replaced by a line with the request id.
_SHOWN = (ValidationError, NotFound, PermissionDenied)


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    # None or a GraphQLError: syntax, validation or coercion errors from graphql-core.
    if original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, _SHOWN)


class MaskInternalErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_should_mask)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        ctx = self.execution_context.context
        rid = getattr(ctx, "request_id", None)
        if isinstance(original, StoreUnavailable):
            message = f"the store is not reachable right now; try again (request id {rid})"
        else:
            message = f"internal error; it has been logged with request id {rid}"
        log.error("unexpected error in %s", ".".join(map(str, error.path or [])),
                  exc_info=original, extra={"request_id": rid})
        self.error_message = message
        return super().anonymise_error(error)


class FlushAudit(SchemaExtension):
    """Write this request's audit rows before its data leaves.

    If the audit cannot be written, the data is withheld: an unrecorded read of
    personal data is what the audit exists to prevent.
    """

    def on_execute(self) -> Iterator[None]:
        yield
        ctx = self.execution_context.context
        privacy = getattr(ctx, "privacy", None)
        if privacy is None or not privacy.pending:
            return
        try:
            privacy.flush(ctx.store)
        except Exception:
            log.exception("audit write failed", extra={"request_id": ctx.request_id})
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [GraphQLError(
                    "personal data was withheld because the audit trail could not be written "
                    f"(request id {ctx.request_id}); try again")]


# The limits as validation rules, built once. The depth and alias limiters make a
# new rule class each time they are constructed, and the validation cache keys on
# the rule classes: built per request, they made every request a cache miss (the
# whole validation, ~6 ms, redone for a query seen a thousand times).
_RULES = (
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    CostRule,
)


def extensions() -> list[Any]:
    # Factories, not instances: Strawberry builds fresh extensions per request.
    # The caches key on the query text; validation (limits included) depends only on
    # the document and the schema, so a repeated query is parsed and checked once.
    return [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(list(_RULES)),
        FlushAudit,
        MaskInternalErrors,
    ]
