"""Why a page could not be answered, told in Chinese to the reader who caused it.

The JSON API reports problems in English for programs (``api/errors.py``); the web page
says the same in the reader's words: which field (城市, 起始日期…), what was wrong, what to
do, and the value received, so it can be fixed in the form. The HTTP status stays the
API's (400/404/422/503), so a script fetching the page still sees the failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from api.errors import ApiError, parameter_errors
from api.web.labels import FIELDS
from store.errors import QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable


@dataclass(frozen=True)
class PageProblem:
    status: int
    title: str  # one line: what could not be done
    reasons: list[str] = field(default_factory=list)  # one line per thing to fix
    advice: str = ""


def _field(name: str) -> str:
    label = FIELDS.get(name)
    return f"{label}（{name}）" if label else name


def _reason(parameter: str, reason: str, kind: str = "") -> str:
    """The pydantic/API reason in Chinese, for the mistakes a form or a shared link makes."""
    text = reason.lower()
    if kind == "extra_forbidden" or "unknown parameter" in text or "not a filter" in text:
        return "不是此页面可用的参数（拼写错误？）"
    if "is after date_to" in text:
        return "起始日期晚于截止日期"
    if parameter in ("date_from", "date_to"):
        return "日期应写作 年-月-日，如 2024-05-01"
    if "page × size" in text:
        return "页码太大，超出可翻页的范围"
    if parameter == "page":
        return "页码应为从 1 开始的整数"
    if "at most" in text and parameter == "q" or "string_too_long" in kind:
        return "搜索词太长"
    if kind.startswith("literal") or kind == "enum":
        return "不是可选的值"
    return "取值无效"


def _line(parameter: str, reason: str, value: object, kind: str = "") -> str:
    shown = f"（收到“{value}”）" if isinstance(value, (str, int, float)) and str(value) != "" else ""
    return f"{_field(parameter)}：{_reason(parameter, reason, kind)}{shown}"


def problem_from(exc: Exception) -> PageProblem | None:
    """The reader-facing problem for an exception a page route may meet; None: not ours."""
    if isinstance(exc, ValidationError):
        rows = parameter_errors(exc.errors())
        kinds = [e.get("type", "") for e in exc.errors()]
        return PageProblem(422, "请求参数有误", [_line(r["parameter"], r["reason"], r["value"], k)
                                                 for r, k in zip(rows, kinds)],
                           "请修改上面标出的条件后重新搜索。")
    if isinstance(exc, ApiError):
        rows = exc.detail if isinstance(exc.detail, list) else []
        reasons = [_line(r.get("parameter", ""), r.get("reason", ""), r.get("value")) for r in rows]
        return PageProblem(exc.status, "请求参数有误" if exc.status == 422 else "请求无法完成",
                           reasons or [exc.message], "请修改上面标出的条件后重新搜索。")
    if isinstance(exc, QuerySyntaxError):
        return PageProblem(400, "搜索语法有误", [f"无法解析搜索词（cannot parse the search）：{exc}"],
                           "引号要成对使用，如 \"停止更新\"；OR 两边都要有词；-词 表示排除。")
    if isinstance(exc, QueryTimeout):
        return PageProblem(503, "搜索超时", [f"查询用时过长，已被中止（the query took too long）：{exc}"],
                           "请缩小范围（加筛选条件或更具体的词）后再试。")
    if isinstance(exc, StoreUnavailable):
        return PageProblem(503, "数据库暂不可用", [f"无法连接数据库（store unavailable）：{exc}"],
                           "请稍后再试；管理员可在 /health 查看原因。")
    if isinstance(exc, StoreError):
        return PageProblem(503, "数据库出错", [f"数据库未能完成查询（store error）：{exc}"], "请稍后再试。")
    return None
