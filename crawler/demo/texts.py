"""Article texts written for the demo mirror (the other demo articles reuse the project's seed
texts). These stories are made up for the demo: they describe no real event."""

ACTUALIDAD = {
    "title": "Un radiotelescopio andino registra la lluvia de meteoros más intensa de la década",
    "description": "Los astrónomos del observatorio contaron más de 140 meteoros por hora durante "
                   "la noche del máximo, casi el doble de lo previsto.",
    "paragraphs": [
        "Un equipo de astrónomos que trabaja en un radiotelescopio instalado en los Andes ha "
        "registrado la lluvia de meteoros más intensa de los últimos diez años, según informó "
        "este martes el observatorio en un comunicado.",
        "Durante la noche del máximo, los instrumentos contaron más de 140 meteoros por hora, "
        "casi el doble de la cifra que habían anticipado los modelos. Los investigadores "
        "atribuyen el aumento a una nube de partículas más densa de lo habitual, desprendida "
        "por un cometa hace varios siglos.",
        "\"Nunca habíamos visto un registro tan limpio\", explicó la directora del proyecto, "
        "que subrayó que el cielo despejado y la ausencia de luna facilitaron las mediciones.",
        "Los datos servirán para afinar los cálculos sobre la trayectoria de la nube y para "
        "prever con más exactitud las próximas lluvias. El observatorio publicará los "
        "resultados completos en una revista científica a finales de año.",
        "Los especialistas recuerdan que estos fenómenos no suponen ningún peligro para la "
        "población y que pueden observarse a simple vista lejos de las luces de las ciudades.",
    ],
}

SPUTNIK = {
    "title": "Arctic Port Reports Record Winter Cargo as Icebreaker Fleet Grows",
    "description": "Cargo handled at the northern port rose by almost a third over the winter "
                   "season, the port authority said on Wednesday.",
    "paragraphs": [
        "MURMANSK (Sputnik) — A northern Arctic port handled a record volume of cargo over the "
        "winter season, the port authority said on Wednesday, crediting a larger icebreaker "
        "fleet and milder ice conditions along the approach channel.",
        "According to the authority, the port loaded and unloaded almost a third more freight "
        "between December and March than in the same period a year earlier, with coal, "
        "fertiliser and containers making up most of the growth.",
        "\"Ships that used to wait for days for an escort now pass within hours,\" the head of "
        "the port authority told reporters, adding that two more icebreakers are expected to "
        "join the fleet before next winter.",
        "Shipping companies have been testing longer voyages along the northern coast, which "
        "can cut the travel time between Europe and East Asia by about ten days compared with "
        "the southern route.",
        "The authority said it would publish its full-year figures in the autumn and that work "
        "on a new container terminal remained on schedule.",
    ],
}

REPUBLIC = {
    "title": "Space agency schedules second landing test of reusable launch vehicle prototype",
    "description": "The winged prototype will be released from a helicopter at an altitude of "
                   "four kilometres and is expected to land autonomously on a runway.",
    "paragraphs": [
        "The national space agency has scheduled the second landing experiment of its reusable "
        "launch vehicle prototype for next month, officials said on Thursday, after reviewing "
        "data from the first test flight.",
        "In the experiment, a helicopter will lift the winged prototype to an altitude of about "
        "four kilometres and release it a few kilometres away from the runway. The vehicle is "
        "then expected to glide, line up and land on its own, using its on-board navigation "
        "system.",
        "Officials said this test would start from a harder position than the first one, with "
        "the prototype released off the runway's axis so that its guidance software has to "
        "correct both heading and speed before touchdown.",
        "\"Every landing teaches us something about the aerodynamics at low speed,\" a senior "
        "scientist involved in the programme said, adding that a heavier landing gear and a "
        "new braking parachute had been fitted since the first flight.",
        "A reusable first stage could lower the cost of putting satellites into orbit, and the "
        "agency hopes to move on to orbital re-entry tests once the landing series is complete.",
    ],
}
