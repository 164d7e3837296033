"""Rules: pure functions from draft to draft, one module per concept (``terms``,
``actors``, ``stance``, ``conditions``, ``agreement``) and their workings (``derive``,
``dates``, ``proposers``). No rule sees a provider (a test checks the imports)."""
