"""The sentences of the SYNTHETIC free-text corpus, written for this book (none comes from the paper).

Each line of a block below is one sentence a respondent might write, in the form ``who | text`` or
``who | text ~ alt``:

- ``who`` says which respondents may write it: ``any``, ``user`` (has recommended harm minimisation),
  ``non_user`` (has not), ``gp`` (a general practitioner), or for the training question ``trained``,
  ``untrained``, ``helpful``, ``unhelpful``, ``policy``, ``no_policy``, ``unsure`` (not confident or unsure);
- ``text`` may hold ``{tech}`` (a technique the respondent ticked, by its short label), ``{place}`` (their work
  setting) or ``{group}`` (the group they named to avoid);
- ``alt`` is a second reading a careful coder might give the sentence: the simulated second coder
  (:func:`hmbook.qualitative.corpus.second_coding`) sometimes takes it.

The block heading ``question code`` gives the question and the subtheme code of the reference coding; ``none``
means the sentence carries no subtheme (off-topic, or a bare list). Techniques are named by short labels only.
:mod:`hmbook.qualitative.corpus` parses the blocks (:func:`fragments`) and assembles answers from them.

>>> frags = fragments()
>>> sorted(frags["question"].unique())
['avoid_why', 'benefits', 'concerns', 'other_techniques', 'training_support']
>>> frags.loc[0, ["question", "code", "who"]].tolist()
['benefits', 'safer_alternative', 'any']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["TEXT", "fragments"]

TEXT = """
## benefits safer_alternative
any | It gives people a less damaging option when stopping altogether is not realistic yet.
any | The main benefit is fewer serious injuries and less scarring.
any | Less risk of infection and of ending up in A&E.
any | It keeps people physically safer while the longer work goes on.
user | Clients I suggested {tech} to have told me the urges passed with far less damage than before.
user | I have seen injuries become less severe and less frequent once a client had an alternative like {tech}.
user | It can give some of the same relief with much less harm. ~ unfulfilled_function
user | Wound care advice has meant fewer infections among the people I see.
non_user | I have not used it myself but I can see it might reduce the severity of injuries.
non_user | In theory it lowers the physical risk, which has to be a good thing.
gp | In general practice it means fewer wounds that need dressing and fewer trips to A&E.
gp | Patients who have tried {tech} seem to turn up with less serious injuries.
any | Reducing harm. ~ none
any | Safer for the person.
## benefits agency_relationship
any | It shows the person you accept where they are, which builds trust.
any | People feel listened to rather than told off, and that opens up a real conversation.
any | It hands some control back to the person, which matters a lot to people who self-harm.
user | Talking openly about {tech} has often been the point where a client started to trust me.
user | Clients say it is the first time a professional has not just told them to stop. ~ person_centred
user | It strengthens the therapeutic relationship because we are working on it together. ~ person_centred
user | It gives young people a sense that they are in charge of their own coping.
non_user | I imagine it would help people feel less judged by services.
gp | Patients are more likely to come back and be honest with me if I do not lecture them.
any | Being non-judgemental and respecting the person's choices.
## benefits effectiveness
gp | It is something I can offer in the community while people wait a long time for specialist input.
gp | With waiting lists as they are, it gives me something practical to say in a short appointment.
user | For some clients it works well; for others it does nothing, and you can't always tell in advance. ~ person_centred
user | It helps most when the person chooses to try it, less so when it is my idea. ~ person_centred
non_user | I can't really see the benefits, to be honest.
any | Benefits are limited unless there is support around the person. ~ policies
## benefits person_centred
any | It only helps if it is tailored to why that person self-harms.
user | The best results come when the client works out their own alternative with me.
any | It lets you meet the person where they are instead of following a script.
## benefits none
any | See my answer below.
any | Thank you for researching this, it is an area that needs more attention.
any | Not sure.
any | Hard to answer in a few words.
## concerns unfulfilled_function
any | Some alternatives just do not give the same release, so the urge is still there afterwards.
any | For some people something gentler like {tech} is not enough and they end up more frustrated.
user | A client told me {tech} felt pointless; it did nothing for the feeling she was trying to shift.
user | If the need behind it is not met, the person may go on to do something worse later. ~ temporary_solution
non_user | I worry the substitutes would leave people unsatisfied and more distressed.
any | It may not meet whatever need the self-harm is meeting.
## concerns temporary_solution
any | It can become one more way of hurting yourself, and it tends to escalate.
any | My worry is that it treats the behaviour and leaves the reasons untouched.
any | Without therapy alongside it, it is a sticking plaster.
any | People sometimes replace one harmful behaviour with another, such as not eating. ~ unfulfilled_function
user | I have seen {tech} overdone until it caused injuries of its own.
user | It is easy for services to stop there and never get to the underlying distress. ~ person_centred
non_user | It feels like managing the symptom rather than helping the person recover.
gp | In primary care there is a risk we hand out a leaflet about {tech} and think the job is done. ~ person_centred
any | Short-term fix only.
## concerns condoning
any | It could look as though we are giving permission to self-harm.
any | I worry about sending the message that self-harm is acceptable.
non_user | I would be uncomfortable because it feels like colluding with the behaviour.
non_user | Families might think professionals are encouraging it.
gp | As a GP I would worry about being seen to endorse self-harm.
user | Colleagues sometimes react as if I were condoning it, which makes me cautious. ~ policies
user | Tetanus advice and clean instruments feel like a step too far towards approving of it. ~ anatomy_concerns
any | Condoning.
## concerns anatomy_concerns
any | Teaching anatomy worries me most: it is information that could be misused by someone at high risk.
any | Anything about where on the body is safer seems risky to me.
non_user | Teaching anatomy could make things more dangerous for someone who is suicidal.
user | I use the milder techniques but would never go as far as teaching anatomy. ~ condoning
gp | I would not feel qualified to talk about anatomy, and it could cause harm.
## concerns effectiveness
any | It depends heavily on the setting and the person's circumstances.
user | Several of my clients have refused it or lost interest after a week or two.
user | It works much better when there is a good relationship and someone to talk to in a crisis. ~ agency_relationship
user | In {place} it is hard to offer because the resources are not there.
any | Wound care advice is not much use if people have no dressings at home.
non_user | I am not convinced there is enough evidence that it works.
any | Some people will not accept any alternative at all.
## concerns person_centred
any | A list of standard techniques handed over without discussion can feel patronising.
any | It has to come from the person, not from a checklist.
user | When I just suggested {tech} without exploring why, it backfired.
any | It needs to be adapted to each individual, otherwise it does more harm than good.
## concerns policies
any | Without a clear policy I would be worried about blame if something went wrong.
user | I would feel exposed if a client was injured and there was no team agreement behind me.
non_user | I would only consider it if my organisation backed it formally.
## concerns none
any | None.
any | No concerns if used sensibly.
any | As above.
any | We are very short-staffed at the moment, which affects everything.
## avoid_why anatomy_concerns
avoid | I would avoid it with {group} because detailed advice could be misused in a crisis.
avoid | With {group} the stakes are too high to give information that could be misused.
avoid | Not with {group}; their risk needs to be managed first.
## avoid_why effectiveness
avoid | With {group} I doubt they could use the techniques safely or consistently.
avoid | For {group} it would need a lot more support around them than we can offer. ~ policies
avoid | I am not sure {group} would understand what is being suggested and why.
avoid | It has not worked with {group} in my experience. ~ none
avoid | {group}, because the setting does not allow it.
## avoid_why temporary_solution
avoid | With {group} the focus should be on stopping, not on making it safer.
avoid | For {group} it might hold back their progress towards change.
## avoid_why condoning
avoid | With {group} parents and schools may see it as us encouraging self-harm.
avoid | For {group} I would worry it normalises the behaviour. ~ temporary_solution
## avoid_why none
avoid | {group}.
avoid | {group}, see above.
## avoid_why person_centred
no_avoid | I would not rule anyone out; it depends on the individual and what they want.
no_avoid | No one in particular, it is a conversation to have with each person.
no_avoid | I would not exclude a whole group, I would think about each person on their own merits.
no_avoid | It is about the person, not their diagnosis.
## avoid_why none
no_avoid | No.
no_avoid | None.
no_avoid | I would not avoid it with anyone.
no_avoid | Not that I can think of.
## training_support training
trained | I had a half-day session and it made me more confident. ~ none
helpful | The training gave me a few extra options to offer and a better grasp of why people self-harm.
helpful | Training helped me understand the less obvious alternatives.
helpful | It was useful, especially hearing from people with lived experience.
unhelpful | The training I had was too general to be of much use.
unhelpful | It covered the basics but not how to apply them in {place}.
untrained | I have had no training; what I know I picked up on the job.
untrained | I have taught myself from reading, and I worry I am not giving the best advice.
untrained | Never been offered training on this, and I would welcome it.
untrained | I would like training that fits {place}, since what works elsewhere may not work here. ~ effectiveness
unsure | Lack of training is the main reason I am not confident about it.
any | Everyone in the team should have training, not just the psychologists.
gp | GP training does not cover this at all.
## training_support policies
policy | Our trust has a clear policy, which I find reassuring.
policy | Having written guidance means I know my manager will support me.
no_policy | There is no local guidance, so each clinician does their own thing.
no_policy | We need a clear policy and backing from management before I would feel safe recommending it.
no_policy | I would recommend it more if the team had an agreed approach. ~ training
any | Supervision and a safeguarding policy that covers this would help.
## training_support none
any | N/A
any | Nothing further.
any | Supervision is generally good where I work.
## other_techniques none
any | Stress ball.
any | Writing feelings down, or tearing paper.
any | Loud music and going for a run.
any | A distraction box.
any | Cold showers.
any | Breathing exercises and grounding.
any | Squeezing a pillow or punching a cushion.
any | Calling a friend or a helpline.
any | Urge surfing.
any | Scribbling on paper with a red pen.
## other_techniques person_centred
any | Whatever the person has found works for them; I ask rather than suggest.
any | We build a personal list together; it is different for everyone.
## other_techniques safer_alternative
user | Sensory alternatives have helped several clients injure themselves less.
"""

_WHO = {"any", "user", "non_user", "gp", "avoid", "no_avoid", "trained", "untrained", "helpful", "unhelpful",
        "unsure", "policy", "no_policy"}


def fragments(text: str = TEXT) -> pd.DataFrame:
    """The sentences as a DataFrame: ``question``, ``code``, ``who``, ``text``, ``alt`` (empty if none)."""
    rows, question, code = [], None, None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("## "):
            question, code = line[3:].split()
            continue
        who, _, rest = (part.strip() for part in line.partition("|"))
        sentence, _, alt = (part.strip() for part in rest.partition("~"))
        if who not in _WHO or not sentence:
            raise ValueError(f"fragments line {n}: cannot read {line!r}")
        rows.append({"question": question, "code": code, "who": who, "text": sentence, "alt": alt})
    return pd.DataFrame(rows)
