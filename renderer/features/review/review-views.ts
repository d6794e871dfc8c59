import { createSliceTool, type ToolContext } from '../../tools/slice-tools.ts';
import { toolSettings, type ToolId } from '../../tools/tool-settings.ts';
import { SliceView, type SliceTool } from '../../viewer/slice-view.ts';
import { VIEW_NAMES } from '../../viewer/view-axes.ts';
import { activeSession, type ReviewContext } from './review-context.ts';

/**
 * The three linked MPR views of the review screen with the current tool (from the tool settings,
 * acting on the edited label set); `element.dataset.tool` names it. Disposers go to `disposers`.
 */
export function createReviewViews(ctx: ReviewContext, element: HTMLElement, disposers: (() => void)[]): SliceView[] {
  const { volume: g, lung, labelSet, viewer } = ctx;
  let tool: SliceTool;
  const toolCtx: ToolContext = {
    session: () => activeSession(ctx),
    volume: g,
    lung: () => (labelSet.store.get() === 'lung' ? null : lung),
    viewer,
  };
  const setTool = (id: ToolId): void => {
    tool = createSliceTool(toolCtx, id);
    element.dataset['tool'] = id;
    for (const v of views) v.element.style.cursor = tool.cursor;
  };
  const views = VIEW_NAMES.map(
    (name) =>
      new SliceView(
        name,
        {
          geometry: g,
          hu: g.data,
          lesion: () => ctx.session.labels.data,
          lung: () => lung,
          lungFill: () => labelSet.store.get() === 'lung',
        },
        viewer,
        () => tool,
      ),
  );
  disposers.push(() => views.forEach((v) => v.dispose()));
  setTool(toolSettings.get().tool);
  disposers.push(
    toolSettings.subscribe((s) => {
      if (element.dataset['tool'] !== s.tool) setTool(s.tool);
      for (const v of views) v.invalidate();
    }),
  );
  return views;
}
