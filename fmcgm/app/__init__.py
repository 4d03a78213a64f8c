"""People's ways in: a Gradio web app (``fmcgm serve``) and a terminal chat (``fmcgm chat``).

One job per module: ``answer`` (the one adapter to the agent's answer), ``turns`` (a streamed
turn as step events), ``engine`` (compiled agents and the trace store shared by sessions),
``serving`` (loopback and the output folder), ``graph_picture`` (graph drawings),
``chat_messages`` (steps and answers as chat messages), ``trace_view`` (the trace tab's data),
``uploads`` (checked user images), ``connection`` (backend checks), ``examples`` (the example
buttons), ``web`` (the Gradio UI), ``chat_terminal`` (the REPL).
"""
