// The story body's rich-text editor (django-prose-editor's bundle, a pinned
// package: nothing from a CDN). Loaded as a module from this origin, with no
// inline script and no import map, so the admin's CSP (script-src 'self') holds:
// the widget names the bundle's URL in data-body-editor-module.
//
// Plain text pasted from the clipboard becomes one paragraph a line; HTML from a
// word processor or a web page keeps its paragraphs, headings (h2-h4), links,
// lists, block quotes and emphasis. What the editor writes is in the allow-list
// of articles/sanitizer.py, which cleans it again on save.

const SELECTOR = "textarea[data-body-editor-module]";

function embedNodes(pm) {
  // The embed blocks of articles/body_text.py, kept as they are when edited.
  const EmbedCaption = pm.Node.create({
    name: "embedCaption",
    content: "inline*",
    parseHTML: () => [{ tag: "figure.embed > figcaption" }],
    renderHTML: () => ["figcaption", 0],
  });
  const Embed = pm.Node.create({
    name: "embed",
    group: "block",
    content: "blockquote? embedCaption",
    defining: true,
    parseHTML: () => [{ tag: "figure.embed" }],
    renderHTML: () => ["figure", { class: "embed" }, 0],
  });
  const Cite = pm.Mark.create({
    name: "cite",
    parseHTML: () => [{ tag: "cite" }],
    renderHTML: () => ["cite", 0],
  });
  return [EmbedCaption, Embed, Cite];
}

function labelEditable(textarea, editable) {
  // The textarea's label and help text name and describe the editing area, and a
  // click on the label puts the cursor in it, as it did in the textarea.
  editable.setAttribute("role", "textbox");
  editable.setAttribute("aria-multiline", "true");
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) {
    label.id ||= `${textarea.id}_label`;
    editable.setAttribute("aria-labelledby", label.id);
    label.addEventListener("click", () => editable.focus());
  }
  const help = textarea.getAttribute("aria-describedby");
  if (help) editable.setAttribute("aria-describedby", help);
}

async function createBodyEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const pm = await import(textarea.dataset.bodyEditorModule);
  const editor = pm.createTextareaEditor(textarea, [
    pm.Document,
    pm.Dropcursor,
    pm.Gapcursor,
    pm.Paragraph,
    pm.HardBreak,
    pm.Text,
    pm.History,
    pm.Menu,
    pm.HTML,
    pm.NoSpellCheck,
    pm.Heading.configure({ levels: [2, 3, 4] }),
    pm.Bold,
    pm.Italic,
    pm.Underline,
    pm.Strike,
    pm.Subscript,
    pm.Superscript,
    pm.Link,
    pm.BulletList,
    pm.OrderedList,
    pm.ListItem,
    pm.Blockquote,
    pm.HorizontalRule,
    ...embedNodes(pm),
  ]);
  labelEditable(textarea, editor.view.dom);
  textarea.bodyEditor = editor;
  textarea.dispatchEvent(
    new CustomEvent("body-editor:ready", { detail: { editor }, bubbles: true }),
  );
  return editor;
}

function start() {
  for (const textarea of document.querySelectorAll(SELECTOR)) {
    createBodyEditor(textarea).catch((error) => {
      // The plain textarea stays usable: the server makes paragraphs of it.
      console.error("The body editor could not start:", error);
    });
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
