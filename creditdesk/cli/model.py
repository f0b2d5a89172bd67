"""`creditdesk model …`: train, validate, register, promote, retire and monitor scoring models."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from creditdesk.cli.common import actor_for, as_option, console, container, print_json, require_database
from kernel.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

    from tools.scoring_model.registry import ModelRegistry

app = typer.Typer(
    help="Scoring models: train on your own history, validate, promote, monitor.", no_args_is_help=True
)


MODEL_ARGUMENT = typer.Argument(..., metavar="MODEL", help="Model id (see `model list`)")


def _registry() -> ModelRegistry:
    return container().model_registry


def _book_snapshot(officer: str | None, what: str):  # type: ignore[no-untyped-def]
    if officer is None:
        raise InvalidInput(f"{what} from the book needs --as OFFICER (a book-wide role)", field="as")
    c = container()
    return actor_for(officer), c.adapter.snapshot(as_of=c.today()), c.policy


@app.command()
def train(
    csv: Path | None = typer.Option(None, "--csv", help="CSV with one row per obligor and an outcome column"),
    from_book: bool = typer.Option(
        False, "--from-book", help="Train on the book's features and observed defaults"
    ),
    target: str | None = typer.Option(None, "--target", help="The binary outcome column (CSV)"),
    bad_value: str | None = typer.Option(None, "--bad-value", help="The outcome value that means bad"),
    time_column: str | None = typer.Option(None, "--time-column", help="Date column: validate out of time"),
    exclude: list[str] = typer.Option([], "--exclude", help="A column not to use as a feature (repeatable)"),
    name: str | None = typer.Option(None, "--name", help="Model name (versions are numbered per name)"),
    pdo: float = typer.Option(20.0, "--pdo", help="Points to double the odds"),
    base_score: float = typer.Option(600.0, "--base-score", help="Score at the base odds"),
    base_odds: float = typer.Option(50.0, "--base-odds", help="Good:bad odds at the base score"),
    officer: str | None = as_option(required=False),
    as_json: bool = typer.Option(False, "--json", help="Print the card and report as JSON"),
) -> None:
    """Train and validate a scorecard, and register it (status: registered, not yet in service)."""
    from tools.scoring_model.data import load_csv
    from tools.scoring_model.report import render
    from tools.scoring_model.spec import Scaling
    from tools.scoring_model.training import TrainParams
    from tools.scoring_model.training import train as train_model

    if (csv is None) == (not from_book):
        raise InvalidInput("give either --csv FILE or --from-book", field="csv")
    params = TrainParams(scaling=Scaling(pdo=pdo, base_score=base_score, base_odds=base_odds))
    benchmarks = None
    if csv is not None:
        if target is None:
            raise InvalidInput("--target COLUMN is required with --csv", field="target")
        actor = actor_for(officer) if officer else None
        data = load_csv(
            csv, target=target, bad_value=bad_value, time_column=time_column, exclude=tuple(exclude)
        )
    else:
        from tools.scoring_model.book import book_training_data

        actor, snapshot, policy = _book_snapshot(officer, "training")
        data, benchmarks = book_training_data(actor, snapshot, policy)
        time_column = None
    trained = train_model(data, params, benchmarks=benchmarks)
    card = _registry().register(trained, data=data, params=params, time_column=time_column, actor=actor,
                                name=name or ("book" if from_book else csv.stem if csv else "model"))  # fmt: skip
    if as_json:
        print_json({"card": card.model_dump(mode="json"), "report": trained.report.model_dump(mode="json")})
        return
    render(trained.report, console, title=f"Validation report — {card.model_id}")
    console.print(f"registered [bold]{card.model_id}[/]; put it into service with "
                  f"`creditdesk model promote {card.model_id} --as OFFICER`")  # fmt: skip


@app.command("list")
def list_models(as_json: bool = typer.Option(False, "--json")) -> None:
    """The registered models and their status."""
    from rich.table import Table

    require_database()  # read-only: no data folder (nor audit key) made where there is none
    entries = _registry().entries()
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    if not entries:
        console.print(
            "no models yet — train one with `creditdesk model train`; the engine uses the expert scorecard"
        )
        return
    table = Table()
    for col in ("model", "status", "created", "source", "holdout AUC"):
        table.add_column(col)
    for e in entries:
        style = {"promoted": "bold green", "retired": "dim"}.get(e.status.value, "")
        table.add_row(e.model_id, f"[{style}]{e.status.value}[/]" if style else e.status.value,
                      e.created_at.strftime("%Y-%m-%d %H:%M"), e.source, f"{e.holdout_auc:.3f}")  # fmt: skip
    console.print(table)


@app.command()
def show(model_id: str = MODEL_ARGUMENT, as_json: bool = typer.Option(False, "--json")) -> None:
    """A model's card and validation report."""
    from tools.scoring_model.report import render

    require_database()
    registry = _registry()
    entry, card, report = registry.entry(model_id), registry.card(model_id), registry.report(model_id)
    if as_json:
        print_json({"status": entry.status.value, "card": card.model_dump(mode="json"),
                    "report": report.model_dump(mode="json")})  # fmt: skip
        return
    d = card.data
    console.print(f"[bold]{card.model_id}[/] — {entry.status.value}; created {card.created_at:%Y-%m-%d %H:%M} UTC"
                  + (f" by {card.created_by}" if card.created_by else ""))  # fmt: skip
    console.print(f"data: {d.kind} '{d.name}' sha256 {d.sha256[:16]}…, {d.rows} rows, "
                  f"{d.target} = {d.bad_value!r} in {d.bad_rate:.1%}")  # fmt: skip
    console.print(f"features ({len(card.features)}): {', '.join(card.features)}")
    console.print(f"intended use: {card.intended_use}")
    for item in card.limitations:
        console.print(f"  • {item}")
    render(report, console)


@app.command()
def promote(
    model_id: str = MODEL_ARGUMENT,
    officer: str = as_option(),
    reason: str | None = typer.Option(None, "--reason", metavar="TEXT", help="Why (kept in the audit trail)"),
) -> None:
    """Put a model into service: the credit engine scores with it instead of the expert scorecard."""
    from tools.engine.features import FEATURE_COLUMNS

    entry = _registry().promote(
        actor_for(officer), model_id, reason=reason, required_features=FEATURE_COLUMNS
    )
    console.print(
        f"[bold green]{entry.model_id}[/] is in service; scores now record model id {entry.model_id}"
    )


@app.command()
def retire(
    model_id: str = MODEL_ARGUMENT,
    officer: str = as_option(),
    reason: str | None = typer.Option(None, "--reason", metavar="TEXT", help="Why (kept in the audit trail)"),
) -> None:
    """Retire a model for good (if it was in service, the engine returns to the expert scorecard)."""
    entry = _registry().retire(actor_for(officer), model_id, reason=reason)
    console.print(f"{entry.model_id} is retired")


@app.command()
def monitor(
    model_id: str | None = typer.Argument(None, metavar="[MODEL]", help="Default: the model in service"),
    csv: Path | None = typer.Option(None, "--csv", help="Current data with the model's feature columns"),
    from_book: bool = typer.Option(False, "--from-book", help="Monitor the book's current feature frame"),
    watch: float | None = typer.Option(
        None, "--watch", help="PSI at or above this is 'watch' (default: policy)"
    ),
    drift: float | None = typer.Option(None, "--drift", help="PSI above this is 'drift' (default: policy)"),
    officer: str | None = as_option(required=False),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Population stability of the score (PSI) and of each feature (CSI) against the development sample."""
    from tools.scoring_model.monitor import Thresholds, render
    from tools.scoring_model.monitor import monitor as run_monitor

    if (csv is None) == (not from_book):
        raise InvalidInput("give either --csv FILE or --from-book", field="csv")
    require_database()
    registry = _registry()
    model_id = model_id or registry.promoted_id()
    if model_id is None:
        raise InvalidInput("no model is in service; name the model to monitor", field="model_id")
    model = registry.load(model_id)
    current = _book_features(officer) if from_book else _csv_frame(csv)  # type: ignore[arg-type]
    thresholds = Thresholds.of(container().policy.model_monitoring, watch=watch, drift=drift)
    report = run_monitor(model, current, thresholds)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    render(report, console)


def _book_features(officer: str | None) -> pd.DataFrame:
    from tools.access import require_role
    from tools.actor import BOOK_WIDE_ROLES
    from tools.engine.features import client_features

    actor, snapshot, policy = _book_snapshot(officer, "monitoring")
    require_role(actor, BOOK_WIDE_ROLES, "monitoring the whole book")
    return client_features(snapshot, policy)


def _csv_frame(path: Path) -> pd.DataFrame:
    from tools.scoring_model.data import read_csv

    return read_csv(path)[0]
