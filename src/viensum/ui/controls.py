"""The controls every tab of the web app builds the same way: the recipe, length and beams
settings, and a run button with its Stop button, wired to a handler for the page and for the API."""
from __future__ import annotations

from viensum.ui.errors import for_the_page
from viensum.ui.models import AUTO, recipe_choices, recipe_info
from viensum.ui.runs import forget_run, new_run, request_stop

HIDDEN = "private"  # page plumbing (clearing, menus, scrolling): not an API endpoint


def settings(prefix: str = ""):
    """The recipe, length and beams controls (built on each tab where they act)."""
    import gradio as gr

    with gr.Row():
        # min_width: on a phone the menu takes a line of its own, so its labels are not cut
        recipe = gr.Dropdown(recipe_choices(), value=AUTO, label="Model / recipe", scale=3, min_width=330,
                             elem_id=f"{prefix}recipe")
        sentences = gr.Slider(1, 10, value=3, step=1, label="Summary length (sentences)", scale=1, min_width=160)
        beams = gr.Slider(0, 8, value=0, step=1, label="Beams (0 = the model's default)", scale=1, min_width=160)
    info = gr.Markdown(recipe_info(AUTO), elem_id=f"{prefix}recipe-info")
    recipe.change(recipe_info, inputs=recipe, outputs=info, queue=False, show_progress="hidden",
                  api_visibility=HIDDEN)
    return recipe, sentences, beams, info


def run_buttons(label: str, run_id: str, stop_id: str):
    """The run button, and its Stop button (enabled only while a run goes on)."""
    import gradio as gr

    with gr.Row():
        run = gr.Button(label, variant="primary", elem_id=run_id, scale=3)
        stop = gr.Button("Stop", variant="secondary", elem_id=stop_id, scale=1, min_width=80, interactive=False)
    return run, stop


def wire_run(run, stop, handler, inputs: list, outputs: list, api_name: str, status_at: int = 0,
              scroll_js: str | None = None, page_inputs: tuple = ()):
    """Wire a run button: clear the outputs, run the page's version of ``handler`` (errors in the
    status line), enable Stop while it runs; and an API endpoint ``api_name`` (errors raised)."""
    import gradio as gr

    token = gr.State(None)
    cleared = tuple("" if i == status_at else None for i in range(len(outputs)))
    started = run.click(lambda: (*cleared, new_run(), gr.update(interactive=True)),
                        outputs=[*outputs, token, stop], queue=False, show_progress="hidden",
                        api_visibility=HIDDEN)
    page = for_the_page(handler, status_at, len(outputs))
    running = started.then(page, inputs=[*inputs, token, *page_inputs], outputs=outputs, show_progress="hidden",
                           api_name=f"page_{api_name}", api_visibility=HIDDEN)
    ended = running.then(lambda t: (forget_run(t), gr.update(interactive=False))[1], inputs=token, outputs=stop,
                         queue=False, api_visibility=HIDDEN)
    if scroll_js:
        ended.then(None, js=scroll_js, api_visibility=HIDDEN)
    stop.click(lambda t: (request_stop(t), gr.update(interactive=False))[1], inputs=token, outputs=stop,
               queue=False, api_visibility=HIDDEN)
    api_button = gr.Button(visible=False, elem_id=f"api-{api_name}")
    api_button.click(handler, inputs=inputs, outputs=outputs, api_name=api_name, show_progress="hidden")
    return running
