"""The web app's models: which are installed, the recipe menu, and the Summarizers its requests share.

Nothing is loaded at import: the pool of Summarizers is built on the first request.
"""
from __future__ import annotations

AUTO = "auto"  # recipe choice meaning "the default recipe, or the offline extractive fallback"
_SUMMARIZERS = None  # the app's Summarizers, built on the first request


def model_installed(name: str) -> bool:
    """Whether a model loads without downloading anything (the Summarizer's own test)."""
    from viensum.summarizer import available

    return available(name)


def _recipe_models(name: str) -> list[str]:
    """The models a recipe runs ("auto": the default recipe's), the English one last."""
    from viensum.recipes import recipe_models
    from viensum.registry import DEFAULT_RECIPE, get_recipe

    return recipe_models(get_recipe(DEFAULT_RECIPE if name == AUTO else name))


def install_command(names: list[str]) -> str:
    from viensum.recipes import install_command

    return install_command(names)


def missing_models(recipe: str) -> list[str]:
    """The models of ``recipe`` not installed here ("auto": those of the default recipe)."""
    return [m for m in _recipe_models(recipe) if not model_installed(m)]


def english_notice(missing: list[str]) -> str:
    """What stands in place of the English summary when the models that write it are missing."""
    if not missing:
        return ("**No English summary came out for this article.** "
                "The details below say what the models did.")
    return ("**No English summary yet: the English model is not installed on this server.** "
            "The Vietnamese summary below is made of the article's key sentences. "
            "To get English summaries, install the models on the server, then reload this page:\n\n"
            f"```\n{install_command(missing)}\n```")


def model_names(models: dict) -> list[str]:
    from viensum.registry import MODELS

    by_hub = {spec.hub_id: name for name, spec in MODELS.items()}
    return [by_hub.get(mid, mid) for mid in (models or {}).values()]


def tiny_models() -> set[str]:
    """The installed models that are random stand-ins made by ``viensum models make-tiny``."""
    from viensum.store import list_models

    return {m.name for m in list_models() if m.tiny}


def recipe_choices() -> list[tuple[str, str]]:
    """The recipe menu: short labels (they must fit a phone) saying which recipes are installed."""
    from viensum.registry import DEFAULT_RECIPE, RECIPES

    ready = {name: not missing_models(name) for name in RECIPES}
    tiny = tiny_models()
    choices = [(f"auto (now: {DEFAULT_RECIPE if ready.get(DEFAULT_RECIPE) else 'extractive'})", AUTO)]
    for name in RECIPES:
        if ready[name] and tiny & set(_recipe_models(name)):
            state = "tiny test models"  # random stand-ins: the output means nothing
        elif ready[name]:
            state = "✓ installed"
        elif name == "extractive":
            state = "Vietnamese only"  # runs without models; English needs the translator
        else:
            state = "not installed"
        choices.append((f"{name} · {state}", name))
    return choices


def recipe_info(recipe: str | None) -> str:
    """One line under the menu: what the chosen recipe does, and what to install for it."""
    from viensum.registry import DEFAULT_RECIPE, RECIPES

    name = recipe or AUTO
    if name == AUTO:
        text = f"The default recipe `{DEFAULT_RECIPE}` when its models are installed, else the extractive summary."
    elif name in RECIPES:
        text = RECIPES[name].description + "."
    else:
        return ""
    missing = missing_models(name)
    if missing:
        text += f" Needs on the server: `{install_command(missing)}`"
    return text


def _recipe_arg(recipe: str | None) -> str | None:
    return None if not recipe or recipe == AUTO else recipe


def _beams_arg(beams) -> int | None:
    return int(beams) if beams else None  # 0: the model's own setting


def ui_options(recipe: str | None = AUTO, sentences: int = 3, beams: int = 0, translate: bool = False):
    """The :class:`~viensum.options.Options` of the UI's fields (the CLI's come from options_from_args)."""
    from viensum.options import Options

    return Options.make(model=_recipe_arg(recipe), sentences=int(sentences), num_beams=_beams_arg(beams),
                        translate=bool(translate))


def summarizer_pool():
    """The app's Summarizers (one per recipe, shared by concurrent requests: they are thread-safe)."""
    global _SUMMARIZERS
    if _SUMMARIZERS is None:
        from viensum.summarizer import SummarizerPool

        _SUMMARIZERS = SummarizerPool()  # it owns the loaded models; the full translation uses them too
    return _SUMMARIZERS


def _summarizer(options):
    return summarizer_pool().get(options)
