"""Pictures for the demo, drawn here with Pillow (gradients, shapes, a caption): nothing is downloaded."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont
from werkzeug.datastructures import FileStorage

PALETTES = [((246, 214, 189), (195, 122, 88)), ((214, 232, 221), (88, 140, 118)), ((226, 220, 244), (122, 102, 176)),
            ((252, 236, 196), (214, 150, 52)), ((222, 236, 248), (70, 122, 178))]


def _gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / max(height - 1, 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom)))
    return image


def _caption(draw: ImageDraw.ImageDraw, size: tuple[int, int], text: str) -> None:
    try:
        font = ImageFont.load_default(size=max(size[1] // 14, 12))
    except TypeError:  # a Pillow without FreeType: the small bitmap font
        font = ImageFont.load_default()
    draw.rectangle([0, size[1] - size[1] // 9, size[0], size[1]], fill=(255, 255, 255))
    draw.text((size[0] // 30, size[1] - size[1] // 10), text, fill=(40, 40, 40), font=font)


def desk(rng: random.Random, caption: str) -> Image.Image:
    """A desk seen from the front: a lamp, a laptop, a plant, notebooks and lipsticks."""
    size = (1200, 900)
    light, dark = rng.choice(PALETTES)
    image = _gradient(size, light, (250, 248, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 600, 1200, 900], fill=(150, 110, 78))
    draw.rectangle([380, 330, 820, 600], fill=(60, 64, 72))
    draw.rectangle([400, 350, 800, 580], fill=dark)
    draw.ellipse([900, 380, 1080, 560], fill=(76, 140, 86))
    draw.rectangle([950, 520, 1030, 610], fill=(190, 90, 60))
    for i in range(rng.randint(2, 4)):
        draw.rectangle([80 + i * 22, 520 - i * 18, 300 + i * 22, 600 - i * 18], fill=rng.choice(PALETTES)[1])
    for i in range(rng.randint(3, 6)):
        x = 120 + i * 40
        draw.rounded_rectangle([x, 640, x + 24, 720], radius=6, fill=(170 + i * 12, 30, 60 + i * 10))
    draw.polygon([(180, 150), (260, 150), (300, 260), (140, 260)], fill=(245, 200, 90))
    _caption(draw, size, caption)
    return image


def shelf(rng: random.Random, caption: str) -> Image.Image:
    """A skincare shelf: two boards with bottles and jars of several colours."""
    size = (1000, 1200)
    light, dark = rng.choice(PALETTES)
    image = _gradient(size, (252, 250, 246), light)
    draw = ImageDraw.Draw(image)
    for board in (420, 820):
        draw.rectangle([60, board, 940, board + 24], fill=(160, 120, 90))
        x = 90
        while x < 880:
            width, height = rng.randint(60, 120), rng.randint(120, 300)
            colour = rng.choice(PALETTES)[rng.randint(0, 1)]
            draw.rounded_rectangle([x, board - height, x + width, board], radius=rng.randint(4, 30), fill=colour)
            draw.rectangle([x + width // 4, board - height - 30, x + 3 * width // 4, board - height], fill=dark)
            x += width + rng.randint(12, 40)
    _caption(draw, size, caption)
    return image


def swatch(rng: random.Random, caption: str) -> Image.Image:
    """Lipstick swatches on an arm: soft stripes of colour on a skin-tone gradient."""
    size = (1200, 800)
    image = _gradient(size, (244, 214, 190), (226, 184, 156))
    draw = ImageDraw.Draw(image)
    for i in range(5):
        colour = (150 + rng.randint(0, 90), 20 + rng.randint(0, 60), 40 + rng.randint(0, 60))
        draw.rounded_rectangle([120 + i * 200, 180, 250 + i * 200, 600], radius=60, fill=colour)
    _caption(draw, size, caption)
    return image


def avatar(rng: random.Random) -> Image.Image:
    """A member's uploaded picture: a face-like shape on a soft background (then cropped square on upload)."""
    light, dark = rng.choice(PALETTES)
    image = _gradient((640, 480), light, dark)
    draw = ImageDraw.Draw(image)
    draw.ellipse([220, 90, 420, 300], fill=(246, 214, 190))
    draw.ellipse([170, 300, 470, 560], fill=rng.choice(PALETTES)[1])
    draw.ellipse([270, 170, 290, 190], fill=(40, 40, 40))
    draw.ellipse([350, 170, 370, 190], fill=(40, 40, 40))
    draw.arc([280, 200, 360, 260], start=20, end=160, fill=(150, 60, 60), width=5)
    return image


def as_upload(image: Image.Image, name: str) -> FileStorage:
    """The picture as a browser would send it (a JPEG file), for the same upload path members use."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return FileStorage(stream=out, filename=name, content_type="image/jpeg")
