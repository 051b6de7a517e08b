"""Why a page could not be answered, told in Chinese to the reader who caused it.

The JSON API reports problems in English for programs (``api/errors.py``), each with a
stable code; the web page looks its Chinese words up by that code (never by the English
text) and says the same in the reader's words: which field (城市, 起始日期…), what was wrong, what to
do, and the value received, so it can be fixed in the form. The HTTP status stays the
API's (400/404/422/503), so a script fetching the page still sees the failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from api import errors
from api.errors import ApiError
from api.web.labels import FIELDS
from store.errors import InvalidQuery, QuerySyntaxError, QueryTimeout, StoreError, StoreUnavailable


@dataclass(frozen=True)
class PageProblem:
    status: int
    title: str  # one line: what could not be done
    reasons: list[str] = field(default_factory=list)  # one line per thing to fix
    advice: str = ""


def _field(name: str) -> str:
    label = FIELDS.get(name)
    return f"{label}（{name}）" if label else name


# The page's words for each refusal code of api/errors.py.
REASONS: dict[str, str] = {
    errors.UNKNOWN_PARAMETER: "不是此页面可用的参数（拼写错误？）",
    errors.NOT_ALLOWED: "不是可选的值",
    errors.BAD_DATE: "日期应写作 年-月-日，如 2024-05-01",
    errors.DATE_ORDER: "起始日期晚于截止日期",
    errors.TOO_SMALL: "数值太小",
    errors.TOO_LARGE: "数值太大",
    errors.TOO_LONG: "太长",
    errors.PAGE_WINDOW: "页码太大，超出可翻页的范围",
    errors.BAD_CURSOR: "翻页标记无效，请从第一页重新翻页",
    errors.INVALID: "取值无效",
}
# Where one field says it better than the generic words.
REASONS_OF_FIELD: dict[tuple[str, str], str] = {
    ("page", errors.TOO_SMALL): "页码应为从 1 开始的整数",
    ("page", errors.INVALID): "页码应为从 1 开始的整数",
    ("q", errors.TOO_LONG): "搜索词太长",
}


def _line(row: dict) -> str:
    parameter, code, value = row.get("parameter", ""), row.get("code", errors.INVALID), row.get("value")
    reason = REASONS_OF_FIELD.get((parameter, code)) or REASONS.get(code, REASONS[errors.INVALID])
    shown = f"（收到“{value}”）" if isinstance(value, (str, int, float)) and str(value) != "" else ""
    return f"{_field(parameter)}：{reason}{shown}"


# Store failures by their code: (HTTP status as the API answers it, title, lead of the reason, advice).
STORE_PROBLEMS: dict[str, tuple[int, str, str, str]] = {
    QuerySyntaxError.code: (400, "搜索语法有误", "无法解析搜索词（cannot parse the search）",
                            "引号要成对使用，如 \"停止更新\"；OR 两边都要有词；-词 表示排除。"),
    InvalidQuery.code: (422, "请求参数有误", "查询无法执行（invalid query）", "请修改上面标出的条件后重新搜索。"),
    QueryTimeout.code: (503, "搜索超时", "查询用时过长，已被中止（the query took too long）",
                        "请缩小范围（加筛选条件或更具体的词）后再试。"),
    StoreUnavailable.code: (503, "数据库暂不可用", "无法连接数据库（store unavailable）",
                            "请稍后再试；管理员可在 /health 查看原因。"),
    StoreError.code: (503, "数据库出错", "数据库未能完成查询（store error）", "请稍后再试。"),
}


def problem_from(exc: Exception) -> PageProblem | None:
    """The reader-facing problem for an exception a page route may meet; None: not ours."""
    if isinstance(exc, ValidationError):
        rows = errors.parameter_errors(exc.errors())
        return PageProblem(422, "请求参数有误", [_line(r) for r in rows], "请修改上面标出的条件后重新搜索。")
    if isinstance(exc, ApiError):
        rows = exc.detail if isinstance(exc.detail, list) else []
        reasons = [_line(r) for r in rows]
        return PageProblem(exc.status, "请求参数有误" if exc.status == 422 else "请求无法完成",
                           reasons or [exc.message], "请修改上面标出的条件后重新搜索。")
    if isinstance(exc, StoreError):
        status, title, lead, advice = STORE_PROBLEMS.get(exc.code, STORE_PROBLEMS[StoreError.code])
        return PageProblem(status, title, [f"{lead}：{exc}"], advice)
    return None
