"""Counterfactual image generation (torch + diffusers): concept tokens, the conditional UNet,
DDIM abduction by inversion, Causal Semantic Guidance, and training.  Imported only when
images are needed, so the causal core and the agent run without torch."""
