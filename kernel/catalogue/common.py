"""Words shared by every surface: yes/no, n/a, list totals."""

from __future__ import annotations

EN: dict[str, str] = {
    "common.yes": "yes",
    "common.no": "no",
    "common.none": "none",
    "common.not_available": "n/a",
    "common.no_data": "no data",
    "common.shown_of_total": "{shown} of {total}",
}

ZH: dict[str, str] = {
    "common.yes": "是",
    "common.no": "否",
    "common.none": "无",
    "common.not_available": "不适用",
    "common.no_data": "无数据",
    "common.shown_of_total": "共 {total} 项，显示 {shown} 项",
}
