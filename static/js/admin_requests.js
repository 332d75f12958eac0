/* The change form's background requests, one at a time: the draft's autosave
   (unsaved_changes.js), the "People found" panel (articles/people_found.js) and
   any other panel that talks to the server as the editor types. Run in turn,
   they never race: an autosave does not post while a panel's lookup is under
   way, so neither reads the other's half-done state (and SQLite, in tests, is
   not asked to read and write at once). A task is a function returning a
   promise; `run` returns its result. Loaded before the scripts that use it. */
(function () {
  "use strict";

  let tail = Promise.resolve();
  window.newsroomRequests = {
    run(task) {
      const result = tail.then(function () {
        return task();
      });
      tail = result.catch(function () {});
      return result;
    },
  };
})();
