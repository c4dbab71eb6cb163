"""Bulk import (CSV/XLSX) and JSON batch upsert of enterprises (government users only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, File, Form, Query, Request, Response, UploadFile
from kit import xlsx
from kit.auth import GOVERNMENT, Principal
from kit.errors import VALIDATION_FAILED, FieldError
from kit.i18n import negotiate
from kit.web import Context, CurrentPrincipal, Session, require, service_router

from registry.schemas.imports import BatchResult, BatchUpsert, ImportMode, ImportResult
from registry.service import imports as service
from registry.service.imports import batch, columns, template

router = service_router("/api/v1/registry", ["imports 批量导入"])
Government = Annotated[Principal, Depends(require(*GOVERNMENT))]
COLUMNS_DOC = "\n".join(
    f"| {c.heading} | `{c.field}` | {'是' if c.required else '否'} | {c.note} |"
    for c in columns.COLUMNS
)


@router.post(
    "/enterprises:import",
    response_model=ImportResult,
    responses={201: {"model": ImportResult, "description": "all_or_nothing: every row stored"}},
    description=(
        "CSV（UTF-8 / GB18030）或 XLSX 文件，首行为列标题（中文列名或字段名）：\n\n"
        "| 列名 | 字段 | 必填 | 要求 |\n|---|---|---|---|\n" + COLUMNS_DOC + "\n\n"
        "`all_or_nothing`（默认）：任一行有误则 422 IMPORT_FAILED，`errors[].field` 为 "
        "`rows[行号].字段`，不保存任何数据；全部通过则 201。`best_effort`：保存正确的行，"
        "200 返回逐行错误。"
    ),
    # Refused while it streams in, before it is spooled to disk: the file's own limit
    # plus room for the multipart envelope.
    max_body_size=service.MAX_BYTES + 1024 * 1024,
)
async def import_enterprises(
    request: Request,
    session: Session,
    ctx: Context,
    principal: Government,
    response: Response,
    file: Annotated[UploadFile, File(description="CSV 或 XLSX，≤ 200 MB")],
    mode: Annotated[ImportMode | None, Query()] = None,
    mode_form: Annotated[ImportMode | None, Form(alias="mode")] = None,
) -> ImportResult:
    if mode and mode_form and mode != mode_form:
        raise VALIDATION_FAILED(
            errors=[
                FieldError(
                    "mode",
                    "MODE_CONFLICT",
                    "查询参数与表单中的 mode 不一致",
                    "mode differs between the query and the form",
                )
            ]
        )
    chosen: ImportMode = mode or mode_form or "all_or_nothing"
    report = await service.import_file(
        session, ctx, principal, file.file, file.filename or "", chosen
    )
    response.status_code = 201 if chosen == "all_or_nothing" else 200
    return report.result(negotiate(request.headers.get("accept-language")))


@router.get(
    "/enterprises:import-template.xlsx",
    response_class=Response,
    responses=xlsx.OPENAPI,
)
async def import_template(principal: CurrentPrincipal) -> Response:
    return xlsx.attachment(
        template.template_xlsx(), "企业导入模板.xlsx", "enterprise-import-template.xlsx"
    )


@router.post("/enterprises:batch-upsert", response_model=BatchResult)
async def batch_upsert(
    payload: BatchUpsert, session: Session, ctx: Context, principal: Government
) -> BatchResult:
    return await batch.batch_upsert(session, ctx, principal, payload.items)
