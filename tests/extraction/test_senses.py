"""Senses decided by context, and lexicon readings that are never the event (issue 14).

Real sentences from English Wikinews 2019 (CC BY 2.5, Wikinews contributors) and the
events-dev set; each test stands for a class of sentences, not for the sentence.
"""

from __future__ import annotations

from kg.models import Event


def _roots(events: list[Event]) -> set[str]:
    return {e.code[:2] for e in events}


def test_attacking_an_inquiry_is_criticism_not_force(events_of):
    events = events_of(
        "Republican Representatives attacked the impeachment inquiry, with Steve Scalise of "
        'Louisiana calling the investigation into Trump "Soviet-style".'
    )
    assert _roots(events) == {"11"}
    assert {e.source.label for e in events} >= {"Republican Representatives", "Steve Scalise"}


def test_attacking_a_proclamation_is_criticism(events_of):
    events = events_of(
        "On live television Erdogan also attacked the proclamation of Golan Heights as official "
        "Israeli territory by the President of the United States Donald Trump, which was made "
        "on Monday."
    )
    assert [(e.source.label, e.target and e.target.label, e.code) for e in events] == [
        ("Recep Tayyip Erdoğan", "Donald Trump", "111")
    ]


def test_criticising_a_decision_targets_whose_decision_it_is(events_of):
    events = events_of("Iran slammed Saudi Arabia's decision to cut diplomatic ties with Qatar.")
    # the decision itself is Saudi Arabia cutting ties (16), as "decided to cut" would be
    assert {(e.source.label, e.target and e.target.label, e.code[:2]) for e in events} == {
        ("Iran", "Saudi Arabia", "11"),
        ("Saudi Arabia", "Qatar", "16"),
    }


def test_attacking_positions_is_still_force(events_of):
    events = events_of(
        "In response, the IDF attacked 15 positions belonging to terrorist groups in the Gaza "
        "Strip on Tuesday night."
    )
    assert _roots(events) == {"19"}


def test_a_label_is_criticism_not_a_telephone_call(events_of):
    events = events_of(
        "Republican Representatives attacked the impeachment inquiry, with Steve Scalise of "
        'Louisiana calling the investigation into Trump "Soviet-style" and Ross Spano of '
        'Florida calling the process "a blatant and obvious coup to unseat a sitting president '
        'of the United States".'
    )
    assert "04" not in _roots(events)
    assert {(e.source.label, e.code) for e in events if e.action == "call"} == {
        ("Steve Scalise", "111"),
        ("Ross Spano", "111"),
    }


def test_a_death_is_not_an_attack_and_according_to_is_no_cooperation(events_of):
    events = events_of(
        "John Paul Stevens, a former associate justice of the US Supreme Court, died yesterday "
        "at the age of 99, according to a statement released by the Supreme Court."
    )
    assert not {"19", "06"} & _roots(events)


def test_a_court_ruling_and_a_vote_are_not_cooperation(events_of):
    events = events_of(
        "The Supreme Court ruled that the suspension of Parliament was unlawful, and MPs voted "
        "to elect a new Speaker."
    )
    assert not {"03", "06"} & _roots(events)


def test_sport_scores_and_private_crimes_are_not_political_events(events_of):
    assert not events_of("Caloundra defeated Wynnum 45 points to 24 in the grand final.")
    events = events_of(
        "Beginning in 2010 and continuing for seven years, McArthur murdered gay men; all but "
        "one victim was found dismembered in large planters at a Toronto property."
    )
    assert not [e for e in events if e.code[:2] != "01"]


def test_titled_politicians_the_gazetteer_does_not_know_still_act(events_of):
    events = events_of(
        "Prime Minister Andrej Babis agreed to resign on January 17 after the minority cabinet "
        "lost a confidence vote a day earlier."
    )
    assert [e.source.label for e in events] == ["Andrej Babis"]
    events = events_of(
        "Broome County Executive Jason Garnar today lifted the State of Emergency declared "
        "March 27, 2019, due to a significant spike in fentanyl-related overdose deaths."
    )
    assert "08" in {e.code[:2] for e in events}


def test_a_participle_acts_for_the_subject_of_its_clause(events_of):
    events = events_of(
        "US Secretary of State Mike Pompeo posted a message on Twitter blaming Iran for the "
        'attacks, saying there was "no evidence the attacks came from Yemen."'
    )
    assert ("Mike Pompeo", "Iran", "11") in {
        (e.source.label, e.target and e.target.label, e.code[:2]) for e in events
    }


def test_the_object_names_the_event_over_a_deeper_pattern(events_of):
    events = events_of(
        "Denmark last week announced a suspension of aid to Egypt, pulling the plug on two "
        "projects worth about 30m Danish krone (€4m)."
    )
    assert ("Denmark", "Egypt", "16") in {
        (e.source.label, e.target and e.target.label, e.code[:2]) for e in events
    }


def test_according_to_a_political_actor_is_its_statement(events_of):
    events = events_of(
        "John Paul Stevens, a former associate justice of the US Supreme Court, died yesterday "
        "at the age of 99, according to a statement released by the Supreme Court."
    )
    assert [(e.code, e.target) for e in events] == [("010", None)]
    assert "Supreme Court" in events[0].source.label
    assert not events_of(
        "According to CNN, Turkey has an estimated two million Syrian refugees, down from a "
        "peak of over three-and-a-half million at the height of the Syrian Civil War."
    )


def test_declining_to_comment_is_a_statement(events_of):
    events = events_of(
        "LaDonna Davis, a USCIS spokeswoman, declined to comment on the specifics of the "
        "hiring freeze."
    )
    assert [(e.source.label, e.code) for e in events] == [("LaDonna Davis", "011")]


def test_it_or_they_act_only_when_the_sentence_names_them(events_of):
    events = events_of(
        "A fire yesterday morning destroyed at least 200 makeshift homes in a slum in "
        "Chittagong, a port city in Bangladesh. Officials said it killed nine people and "
        "injured at least 50 more."
    )
    assert not [e for e in events if e.code[:2] in ("18", "19")]
    events = events_of(
        "Speaking on al-Masirah TV in Yemen, Houthi military spokesperson Yahya Sarea said it "
        "had carried out the attack using ten drones."
    )
    assert "Houthis" in {e.source.label for e in events if e.code[:2] in ("18", "19")}


def test_one_statement_per_speaker_and_sentence(events_of):
    events = events_of(
        'The Senate Minority Leader, Chuck Schumer, said on Friday "We made a plea to the '
        "president once again: don't hold hundreds of thousands of federal workers hostage\" "
        'and "So we told the president we needed the government open."'
    )
    codes = [e.code for e in events]
    # the plea is Schumer's own verbal act, so it stands for the statement that carries it
    assert codes.count("010") <= 1 and "020" in codes


def test_a_quoted_word_is_not_an_act(events_of):
    events = events_of(
        'Duda also characterised the deaths as "crushing" and wrote "May God protect their '
        'parents and loved ones."'
    )
    assert "crush" not in {e.action for e in events}


def test_calling_a_halt_is_not_a_label(events_of):
    # the caption is verbatim (Wikinews 2019, Magnitogorsk); the first line introduces him
    events = events_of(
        "Emergencies Minister Yevgeny Zinichev flew to the city on Monday.\n\n"
        "—Zinichev calling a temporary halt to rescue work ahead of emergency stabilisation "
        "works"
    )
    assert "11" not in {e.code[:2] for e in events}


def test_a_nominal_event_between_two_sides(events_of):
    events = events_of(
        "Among other things, the House subpoenaed a full transcript of a call between Trump "
        "and then-newly elected President Zelensky in late July."
    )
    assert ("Donald Trump", "Volodymyr Zelensky", "04") in {
        (e.source.label, e.target and e.target.label, e.code[:2]) for e in events
    }


def test_calling_for_someone_to_act_is_an_appeal_to_them(events_of):
    events = events_of(
        "US President Trump has called for NATO members to increase military spending."
    )
    assert [(e.target and e.target.label, e.code[:2]) for e in events] == [
        ("North Atlantic Treaty Organization", "02")
    ]


def test_a_state_the_actor_acts_with_is_not_its_target(events_of):
    events = events_of(
        "Last year US President Donald Trump withdrew the US from a nuclear nonproliferation "
        "treaty with Iran, which had been agreed under former US President Barack Obama."
    )
    assert ("Donald Trump", "Iran", "16") in {
        (e.source.label, e.target and e.target.label, e.code[:2]) for e in events
    }


def test_he_in_a_coordinated_clause_is_the_first_clause_subject(events_of):
    events = events_of(
        "Iran's Supreme Leader on Monday rejected US President Donald Trump's offer of "
        "unconditional talks to improve bilateral ties and he also accused the Iranian "
        "government of economic mismanagement in the face of reimposed US sanctions."
    )
    accusers = {e.source.label for e in events if e.code[:2] == "11"}
    assert accusers and "Donald Trump" not in accusers


def test_they_in_what_a_group_says_is_the_group(events_of):
    events = events_of(
        "Syrian opposition members have said they will release the 21 UN peacekeepers they "
        "took in the Golan Heights."
    )
    assert ("Syrian opposition", "United Nations") in {
        (e.source.label, e.target and e.target.label) for e in events if e.code[:2] == "03"
    }


def test_attending_a_meeting_between_two_leaders(events_of):
    events = events_of(
        "Secretary of State Rex Tillerson and Russian Foreign Minister Sergey Lavrov will attend "
        "the meeting between President Trump and President Vladimir Putin at the G20 summit, "
        "along with translators for each side."
    )
    assert ("Donald Trump", "Vladimir Putin") in {
        (e.source.label, e.target and e.target.label) for e in events
    }


def test_a_state_of_siege_is_a_state_of_emergency(events_of):
    events = events_of(
        "The Guatemalan government declared a state of siege Sunday in a province it said has "
        "become overrun by a Mexican drug-trafficking group, the latest sign that Mexico's "
        "powerful cartels have extended their reach into foreign lands."
    )
    assert ("Guatemala", "1724") in {(e.source.label, e.code) for e in events}


def test_people_listed_after_an_apposition_are_each_a_source(events_of):
    events = events_of(
        "Statements of condemnation have come from Organisation of Islamic Cooperation (OIC) "
        "head Yousef Al-Othaimeen, Pope Francis, and a spokesperson for President Rodrigo "
        "Duterte."
    )
    assert {"Yousef Al-Othaimeen", "Pope Francis"} <= {e.source.label for e in events}


def test_a_forecast_or_hearing_is_no_event_and_admitting_is_acknowledging(events_of):
    events = events_of(
        "The Welsh Government said it expects that most pupils will have the chance to go to "
        "school at least three times before the summer break, but this depends on the "
        "individual school."
    )
    assert [e.code[:2] for e in events] == ["01"]
    events = events_of(
        "Hickenlooper said in the video, \"I've heard from so many Coloradans who want me to "
        'run for the United States Senate."'
    )
    assert "hear" not in {e.action for e in events}


def test_biographies_are_not_acts(events_of):
    # Wikinews 2019 obituaries: each article's opening sentence, then the sentence judged
    events = events_of(
        "Yesterday, former United States Representative John Conyers died in his sleep, "
        "according to a family spokesperson.\n\n"
        "In 1971, Conyers co-founded the Congressional Black Caucus."
    )
    assert "found" not in {e.action for e in events}
    events = events_of(
        "Former United States Central Intelligence Agency agent Tony Mendez died Saturday, aged "
        "78, at a Frederick, Maryland assisted living facility.\n\n"
        "He studied Hollywood makeup and special effects for use in his work, later titling "
        "his memoir The Master of Disguise."
    )
    assert "study" not in {e.action for e in events}


def test_a_press_release_is_no_release_of_people(events_of):
    # Wikinews 2019 (Hungary's arms industry)
    events = events_of(
        "According to a March 14, 2019 NATO press release, Hungary spent an estimated 1.15% "
        "of its GDP on military expenditures in 2018."
    )
    assert not [e for e in events if e.code.startswith("084")]
    events = events_of("Israel announced the release of 20 Palestinian prisoners.")
    assert [e.code[:3] for e in events] == ["084"]


def test_showing_and_publishing_are_no_protest_or_release(events_of):
    # Wikinews 2019: a statement that "demonstrates" something; a governor who has a
    # deadline "to release plans"; a chief executive who "introduced ... initiatives"
    events = events_of(
        "The WH statement tonight on Syria after Trump spoke with Erdogan demonstrates a "
        "complete lack of understanding of anything happening on the ground."
    )
    assert not [e for e in events if e.code[:2] == "14"]
    events = events_of(
        "Under Maryland state law, Republican Larry Hogan, the current governor, has until "
        "October 28 to release plans for a special election."
    )
    assert not [e for e in events if e.code.startswith("084")]
    events = events_of(
        "Lam also introduced housing and property initiatives to address concerns about "
        "rising prices."
    )
    assert not events
    events = events_of("Thousands of Iraqis demonstrated in Baghdad.")
    assert [e.code for e in events] == ["141"]


def test_blocking_a_street_or_bridge_obstructs_passage(events_of):
    events = events_of("Iraqi protesters blocked the bridge and the main highway.")
    assert {e.code for e in events} == {"144"}


def test_meeting_a_demand_is_yielding_and_not_meeting_it_a_refusal(events_of):
    events = events_of("The U.S. said it would not meet the hostage-takers' demands.")
    assert [(e.source.label, e.code[:2]) for e in events] == [("United States", "12")]


def test_labels_and_attacks_on_legal_acts_are_criticism(events_of):
    # Wikinews 2019 (hand-judged sample): a quoted label the parser hangs on the object,
    # an "attack" on a subpoena
    events = events_of(
        'Tom Watson called Prime Minister Theresa May\'s proposed Brexit deal "lousy" and '
        "said he would only vote for it if the British people could also vote for or "
        "against it."
    )
    assert ("111", "Theresa May") in {(e.code, e.target and e.target.label) for e in events}
    events = events_of("Trump responded Tuesday, attacking the subpoena as a political strategy.")
    assert [e.code for e in events] == ["111"]


def test_violence_by_a_private_person_is_assault_not_fighting(events_of):
    # Wikinews 2019 (hand-judged sample): CAMEO's 19 is force by states and armed groups
    events = events_of(
        "On Thursday at the headquarters of the Paris Police Prefecture in Paris, France, an "
        "IT worker went on a stabbing spree, killing four."
    )
    assert [e.code[:2] for e in events] == ["18"]
    events = events_of("Israeli troops killed two Palestinians.")
    assert [e.code[:2] for e in events] == ["19"]
    # a crowd's force stays 19, as UniversalPetrarch's gold codes it
    events = events_of("Georgian demonstrators launched missiles at the Georgian government.")
    assert [e.code[:2] for e in events] == ["19"]


def test_assembling_or_gathering_things_is_no_meeting(events_of):
    # Wikinews 2019 (hand-judged sample)
    events = events_of(
        "To modernize its military, in 2018, Hungary licensed Czech firearm technology and "
        "started assembling firearms in Kiskunfelegyhaza."
    )
    assert not [e for e in events if e.code[:2] == "04"]
    assert [e.code for e in events_of("Leaders of the G7 gathered in Biarritz.")] == ["040"]


def test_an_attack_made_in_words_is_criticism(events_of):
    # issue 14: verbal "attacked Drudge" was 190
    events = events_of("Trump attacked Drudge on Twitter.")
    assert [e.code for e in events] == ["111"]
    events = events_of("Trump attacked Pelosi in a tweet on Sunday.")
    assert [(e.code, e.target.label) for e in events] == [("111", "Nancy Pelosi")]
    assert [e.code[:2] for e in events_of("Iran attacked the tanker in the Gulf.")] == ["19"]


def test_abusing_power_is_no_physical_abuse(events_of):
    # Wikinews 2019: "members of Congress have abused their power"
    events = events_of(
        'Cruz, in remarks to ABC, said, "For too long, members of Congress have abused their '
        'power and ignored the will of the American people."'
    )
    assert not [e for e in events if e.code[:2] == "18"]


def test_a_date_after_the_verb_is_no_context_word(events_of):
    # "on Sunday" is when, not "call on" (an appeal): a telephone call, 041. Not from the
    # corpora (they hold no such call); Trump and Erdoğan spoke by telephone that day.
    (event,) = events_of("Donald Trump called Recep Tayyip Erdoğan on Sunday.", date="2019-10-07")
    assert (event.source.label, event.code, event.target.label) == (
        "Donald Trump",
        "041",
        "Recep Tayyip Erdoğan",
    )
    (appeal,) = events_of("China called on the United States on Monday to lift the sanctions.")
    assert appeal.code[:2] == "02" and appeal.target.label == "United States"


def test_subpoenas_are_demands_and_heckling_is_dissent(events_of):
    # events-dev d-wn-087 (Wikinews 2019): a subpoena demands under penalty of law.
    events = events_of(
        "Among other things, the House subpoenaed a full transcript of a call between Trump "
        "and then-newly elected President Zelensky in late July.",
        date="2019-09-30",
    )
    assert any(e.action == "subpoena" and e.code == "100" for e in events)
    # Disrupting a speaker is shown dissent (14), as PETRARCH2's "disrupt speech" (140).
    (booed,) = events_of("Protesters booed President Emmanuel Macron in Paris.")
    assert (booed.code, booed.target.label) == ("140", "Emmanuel Macron")
    assert events_of("The match was interrupted by rain.") == []


def test_an_agreement_s_name_is_what_was_signed_not_a_party(events_of):
    # events-dev d-wn-141 (Wikinews 2019): the name stands in front of "agreement".
    events = events_of(
        "Leaders of African Union (AU) member states met in Niamey, Niger's capital, for an AU "
        "summit where on Sunday Presidents Muhammadu Buhari of Nigeria and Patrice Talon of "
        "Benin signed the African Continental Free Trade Area (AfCFTA) agreement.",
        date="2019-07-08",
    )
    signed = [e for e in events if e.action == "sign"]
    assert {e.source.label for e in signed} == {"Muhammadu Buhari", "Patrice Talon"}
    assert not any("Free Trade Area" in (e.target.label if e.target else "") for e in events)
    # A name that ends in a document word is the document; a known state stays a party.
    (ratified,) = events_of("France ratified the Comprehensive Economic and Trade Agreement.")
    assert ratified.target is None
    (deal,) = events_of("NATO signed a cooperation agreement with the European Union.")
    assert deal.target.label == "European Union"


def test_seizing_property_falls_on_no_one_the_sentence_leaves_out(events_of):
    # Repression with no target falls on the source's own people (a curfew, arrests);
    # seizing a vessel (171) or expelling (174) falls on an owner or foreigners not named.
    (seized,) = events_of("Iran seized a vessel on Friday.", date="2019-07-20")
    assert (seized.code, seized.target) == ("171", None)
    (curfew,) = events_of("Turkish authorities imposed a curfew.")
    assert curfew.code[:2] == "17" and curfew.target.label == "Turkish civilians"


def test_labels_after_the_object_are_criticism(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0): an adjective after the object, an object
    # the parser takes for the predicate, and a preposition inside the object that made
    # the lexicon read "call on" (an appeal).
    for sentence in (
        "Foreign ministry spokesman Abbas Mousavi called the measures useless, while "
        "President Hassan Rouhani described them as outrageous and idiotic.",
        "Iran's foreign ministry spokesman, Abbas Mousavi, called the U.S. accusations blind "
        "and meaningless.",
        "Esper called the attack on the Saudi oil facilities a dramatic escalation of Iranian "
        "aggression.",
    ):
        called = [e for e in events_of(sentence, date="2019-09-18") if e.action == "call"]
        assert [e.code for e in called] == ["111"], sentence
    # A label the lexicon knows keeps its row; a bare call is a telephone call.
    (success,) = events_of("Trump called the talks a success.")
    assert success.code == "013"
    (phoned,) = events_of("Putin called Macron.")
    assert phoned.code == "041"


def test_what_is_discussed_with_someone_is_the_topic(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0): Trump is whom Abe consulted, Iran the topic.
    events = events_of(
        "Abe, who discussed Iran with President Donald Trump during Trump's visit to Tokyo "
        "last month, is due to meet Supreme Leader Ayatollah Ali Khamenei on Thursday.",
        date="2019-06-11",
    )
    (discussed,) = [e for e in events if e.action == "discuss"]
    assert (discussed.code[:2], discussed.target.label) == ("04", "Donald Trump")
    (crisis,) = events_of("Pompeo discussed the crisis with Saudi Arabia.")
    assert crisis.target.label == "Saudi Arabia"


def test_a_claim_is_a_statement_not_disapproval(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0): claiming to stand with a people asserts
    # something (01), it disapproves of nothing; a claim of responsibility stays 015.
    events = events_of(
        "US officials who claimed to stand with the Iranian people were lying, he said.",
        date="2020-01-12",
    )
    assert [e.code[:2] for e in events if e.action == "claim"] == ["01"]
    (claimed, attack) = events_of("The Houthis claimed responsibility for the attack.")
    assert (claimed.code, attack.code[:2]) == ("015", "19")


def test_a_title_inside_the_name_is_no_part_of_the_person(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0): the recogniser took "Adviser" into the name,
    # which then matched no gazetteer person and was minted as "Adviser John Bolton".
    (welcomed,) = events_of(
        "US National Security Adviser John Bolton welcomed the seizure as excellent news.",
        date="2019-07-05",
    )
    assert welcomed.source.label == "John Bolton"
    assert "/id/actor/" not in welcomed.source.id  # the gazetteer's Bolton, not a minted one


def test_whose_killing_it_was_is_who_was_killed(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0): "his killing" made Soleimani a killer (180).
    events = events_of(
        "The Guards said the operation, named after Qassem Soleimani, was revenge for his "
        "killing five days earlier.",
        date="2020-01-08",
    )
    assert not [e for e in events if e.source.label == "Qassem Soleimani"]
    (condemned,) = events_of("Iran condemned the killing of Soleimani.")
    assert condemned.target.label == "Qassem Soleimani"


def test_a_body_meeting_with_no_counterpart_is_a_session(events_of):
    # Gulf corpus (seeds/gulf-2019-2020, CC0), and PLOVER's "Israel's Cabinet met Sunday":
    # a parliament or cabinet in session consults no one (no 040).
    events = events_of(
        "Parliament is to meet for an emergency session on Sunday, and the government has come "
        "under mounting pressure to expel the 5200 American troops.",
        date="2020-01-04",
    )
    assert not [e for e in events if e.code[:2] == "04"]
    (met,) = events_of("Iran and Russia met in Moscow.")
    assert (met.code, met.target.label) == ("040", "Russia")
    (refused,) = events_of("The U.S. said it would not meet the hostage-takers' demands.")
    assert refused.code[:2] == "12"  # meeting a demand is yielding; this refuses it


def test_more_of_an_act_is_the_act(events_of):
    # "increase" and its kin carry the event their object names, as "launch" does
    events = events_of("The United States increased sanctions on Iran.")
    assert [(e.source.label, e.code, e.target.label) for e in events] == [
        ("United States", "163", "Iran")
    ]
    # a plan to do more is no act (events-dev d-wn-090: 'any broader plan to increase
    # sanctions on Iran')
    events = events_of(
        "Monday a German government source said the ban on Mahan Air is not part of any "
        "broader plan to increase sanctions on Iran."
    )
    assert not [e for e in events if e.root == "16"]


def test_a_crowd_demands_of_its_government_when_no_addressee_is_named(events_of):
    # CAMEO's convention for protests, as events-dev codes "Protesters' demands include
    # ..." (d-wn-145) -> Hong Kong; a named addressee stays
    events = events_of("Thousands of Iraqi protesters demanded jobs and services.")
    assert [(e.source.label, e.root, e.target.label) for e in events] == [
        ("protesters (Iraq)", "10", "Iraq")
    ]
    events = events_of("Iraqi protesters demanded that the United States withdraw its troops.")
    assert {e.target.label for e in events if e.root == "10"} == {"United States"}


def test_a_participle_after_the_object_is_no_act_of_the_subject(events_of):
    # events-dev d-cb-081: the parser makes "declared" a past-tense clause of "lifted";
    # the declaration was earlier and by no one named, and a legal state is no actor
    events = events_of(
        "Broome County Executive Jason Garnar today lifted the State of Emergency declared "
        "March 27, 2019, due to a significant spike in fentanyl-related overdose deaths."
    )
    assert [(e.source.label, e.code, e.target) for e in events] == [("Jason Garnar", "0814", None)]


def test_revealing_that_something_happened_is_a_statement(events_of):
    # events-dev d-wn-043: the PETRARCH2 lexicon reads "reveal" as 050 (diplomatic
    # cooperation) with the revealed person as its target
    events = events_of(
        "The previous day, television broadcaster PBS revealed that in December, Crown Prince "
        "Mohammad bin Salman of Saudi Arabia accepted responsibility for the murder of "
        "journalist Jamal Khashoggi but did not say he'd ordered it."
    )
    assert {(e.source.label, e.code) for e in events if e.source.label == "PBS"} == {("PBS", "010")}
    assert "015" in {e.code for e in events}


def test_calling_off_a_protest_eases_dissent(events_of):
    # CAMEO 082, the manual's "call off protest"; PETRARCH2 read "postpone" as a
    # rejection (120) and "call off" as reduced relations (160)
    events = events_of("Hong Kong protesters called off the march planned for Sunday.")
    assert {e.code for e in events} == {"082"}
    # agreeing to it is the intent to yield (events-dev d-cb-019: 08 or 03)
    events = events_of("Somali opposition leaders have agreed to postpone a protest.")
    assert {e.code for e in events} == {"035"}
    # military strikes called off are no protest
    assert "082" not in {e.code for e in events_of("Trump called off strikes on Iran.")}


def test_a_passive_light_verb_carries_its_subject_s_event(events_of):
    # the subject of a passive is the verb's object: "sanctions were imposed" is the
    # sanctioning (163) by the by-agent, not an impose (170) on the agent's own people
    events = events_of("New sanctions were imposed on Iran by the European Union on Monday.")
    assert [(e.source.label, e.code, e.target.label) for e in events] == [
        ("European Union", "163", "Iran")
    ]
    # and it picks the lexicon row as the object does: "veto resolution" (129)
    events = events_of("The resolution was vetoed by Russia and China.")
    assert {(e.source.label, e.code) for e in events} == {("Russia", "129"), ("China", "129")}


def test_a_policy_considered_at_home_is_no_event(events_of):
    # events-dev codes domestic policy as no event; the passive above made "The bill was
    # drafted by Alex Greenwich" (d-wn-095) a 014 like its active form
    events = events_of(
        'The bill was drafted by Alex Greenwich who said on the parliament floor, "It follows '
        "decades of work from women's rights campaigners, activists and people in the "
        'Parliament".'
    )
    assert {e.code for e in events} == {"010"}
    assert {e.code for e in events_of("The EU drafted a plan for Iran.")} == {"014"}


def test_people_of_a_nationality_with_no_state_are_not_the_place_s_forces(events_of):
    # "Kurdish fighters in Syria" were the Syrian military (the people acted on took the
    # place's state); the attack falls on the place, as CAMEO codes force in a place
    events = events_of("Turkey attacked Kurdish fighters in Syria.")
    assert [(e.source.label, e.root, e.target.label) for e in events] == [("Turkey", "19", "Syria")]
    # people of the place stay its people
    events = events_of("Iraqi police arrested protesters.")
    assert {e.target.label for e in events} == {"protesters (Iraq)"}


def test_a_resignation_handed_in_is_a_resignation_and_one_asked_for_is_not(events_of):
    # the hand-judged Wikinews sample and events-dev d-wn-073: "tender" was PETRARCH2's
    # 062; a resignation asked for has not happened
    events = events_of("Bolton tendered his resignation the next morning.")
    assert [(e.source.label, e.code) for e in events] == [("John Bolton", "083")]
    events = events_of(
        "On Tuesday, United States President Donald Trump announced he had asked for national "
        "security advisor John R. Bolton's resignation Monday night, and that Bolton tendered "
        "it the next morning."
    )
    assert [(e.source.label, e.root) for e in events] == [("Donald Trump", "02")]


def test_a_thing_passed_on_in_the_passive_goes_to_its_recipient(events_of):
    # the active "Saudi Arabia sent aid to Yemen" had its target, the passive lost it
    # (and "Humanitarian aid was provided to Syria" made "Humanitarian" the target)
    events = events_of("Aid was sent to Yemen by Saudi Arabia.")
    assert [(e.source.label, e.root, e.target.label) for e in events] == [
        ("Saudi Arabia", "07", "Yemen")
    ]
    events = events_of("Humanitarian aid was provided to Syria by Turkey.")
    assert [(e.source.label, e.target.label) for e in events] == [("Turkey", "Syria")]


def test_a_crowd_clashing_with_police_riots(events_of):
    # CAMEO 145 (protest violently), not 190 (conventional military force); armies
    # clashing still fight
    events = events_of("Hundreds of protesters clashed with police in Baghdad on Tuesday.")
    assert [(e.source.label, e.code) for e in events] == [("protesters (Iraq)", "145")]
    events = events_of("Indian and Chinese troops clashed in Ladakh.")
    assert {e.code for e in events} == {"190"}


def test_meeting_a_counterpart_is_meeting_the_other_state(events_of):
    # "his Iranian counterpart" was read as the minister's own thing and no actor, so
    # the meeting had no counterpart and was no consultation
    events = events_of("Turkey's foreign minister met his Iranian counterpart in Ankara.")
    assert [(e.source.label, e.code, e.target.label) for e in events] == [("Turkey", "040", "Iran")]


def test_targets_across_a_country_are_that_country(events_of):
    # issue 14: "targets in/across X" -> X
    events = events_of("Israeli warplanes struck targets across Syria.")
    assert {(e.root, e.target.label) for e in events} == {("19", "Syria")}


def test_what_a_warning_is_against_is_not_done(events_of):
    events = events_of("China warned the US against interfering in Hong Kong.")
    assert [(e.source.label, e.code) for e in events] == [("China", "130")]


def test_acting_between_two_sides_acts_on_both(events_of):
    # PLOVER GSR codes a mediation "between the Emirates and Saudi Arabia" to each side;
    # the second side was lost
    events = events_of("Qatar mediated between the Taliban and the United States.")
    assert {(e.source.label, e.root, e.target.label) for e in events} == {
        ("Qatar", "04", "Taliban"),
        ("Qatar", "04", "United States"),
    }


def test_dismissing_what_one_is_asked_or_offered_rejects_it(events_of):
    # PETRARCH codes "dismiss", "rebuff", "spurn" 110 (disapproval) with few objects
    for sentence in (
        "Ivorian rebels dismissed an appeal from President Alassane Ouattara to lay down arms.",
        "Iran spurned an offer from France to mediate.",
        "Israel rebuffed a request from Egypt for a truce.",
    ):
        events = events_of(sentence)
        assert _roots(events) == {"12"}, (sentence, events)


def test_legislative_procedure_learning_and_resigning_a_post(events_of):
    # the hand-judged Wikinews sample (benchmarks/judgements)
    events = events_of("Senator Rand Paul, who sponsored the bill, met Vladimir Putin.")
    assert _roots(events) == {"04"}, events
    events = events_of(
        "As Boris Johnson learned early in his career, courts can overrule ministers."
    )
    assert not events, events
    events = events_of(
        "Theresa May announced she would resign the leadership of the Conservative Party."
    )
    assert "13" not in _roots(events) and "16" not in _roots(events), events


def test_a_label_on_no_one_is_a_statement(events_of):
    # the hand-judged Wikinews sample: a crisis called the worst is nobody's act
    events = events_of("The United Nations called the humanitarian crisis the worst in the world.")
    assert _roots(events) == {"01"}, events
    events = events_of("Donald Trump called the impeachment inquiry a witch hunt.")
    assert _roots(events) == {"11"}, events


def test_coming_for_talks_is_negotiating(events_of):
    # PETRARCH codes "arrive for talks" 046; other verbs of motion had no row
    for sentence in (
        "The Iranian foreign minister travelled to Moscow for talks.",
        "Iranian negotiators returned to Vienna on Monday for talks with France.",
    ):
        events = events_of(sentence)
        assert [e.code for e in events] == ["046"], (sentence, events)


def test_a_label_on_a_pronoun_criticises_what_it_stands_for(events_of):
    # seeds: "British Prime Minister Boris Johnson called it deplorable"
    events = events_of("British Prime Minister Boris Johnson called it deplorable.")
    assert _roots(events) == {"11"}, events


def test_hosting_a_broadcast_is_no_visit(events_of):
    # the hand-judged Wikinews sample: "Kokesh previously hosted a show on RT"
    assert not events_of("Libertarian candidate Adam Kokesh hosted a show on RT.")


def test_more_cooperation_is_cooperation_not_force_posture(events_of):
    # the hand-judged Wikinews sample: PETRARCH's "increase navy" (154) matched the
    # partners' noun
    events = events_of("Iran has increased cooperation with the navies of China and Russia.")
    assert _roots(events) == {"06"}, events


def test_releasing_a_document_is_no_release_of_people(events_of):
    # Wikinews 2019-09-30: the summary of a call made the White House release Trump and
    # Zelensky (084)
    events = events_of(
        "Last week the White House released a summary of a phone call made by President "
        "Trump late last July to Ukrainian President Volodymyr Zelensky."
    )
    assert "08" not in _roots(events), events
    events = events_of("Iran released two British sailors on Friday.")
    assert ("IRN", "08", "GBR") in {
        (e.source.country, e.code[:2], e.target and e.target.country) for e in events
    }


def test_knowing_that_something_is_so_is_a_statement_not_the_act(events_of):
    # the bare verb's lexicon rows (recognition 051, acceptance) need an object; with a
    # clause the speaker states what they know
    events = events_of(
        "The Iranian foreign minister recognized that the government had made mistakes."
    )
    assert _roots(events) == {"01"}, events
    assert _roots(events_of("Russia recognized the independence of Abkhazia.")) == {"05"}


def test_plain_intention_and_instituting_a_policy_are_no_cooperation(events_of):
    # Wikinews 2019: "he plans on leaving the European Union" and "In the 1990s, he
    # instituted a policy of confiscating land" were 030 and 060
    events = events_of(
        "In his victory speech, Johnson reiterated that he plans on leaving the European "
        "Union even if no agreement has been reached."
    )
    assert _roots(events) <= {"01"}, events
    events = events_of(
        "In the 1990s, Robert Mugabe instituted a policy of confiscating land from white "
        "farm-owners and redistributing it."
    )
    assert "06" not in _roots(events), events
    # an act under the intention is still the intent
    events = events_of("Iran plans to withdraw its troops from Syria.")
    assert "03" in _roots(events), events


def test_controlling_a_majority_is_no_cooperation(events_of):
    # Wikinews 2019-10-23 (Canada's election): 060 with the UK Parliament as target
    events = events_of(
        "The Liberal Party, which previously controlled a majority of the House of Commons, "
        "lost a net of 20 seats, according to preliminary reports."
    )
    assert "06" not in _roots(events), events


def test_words_of_a_name_and_an_office_name_no_act(events_of):
    # Wikinews 2019-09-27: "Reform" in a bill's name matched PETRARCH's "pass reform"
    # (083); Wikinews 2019-09-30: "special envoy for Ukraine negotiations" was Ukraine
    # negotiating (046)
    events = events_of(
        "The Parliament of New South Wales voted to pass the Reproductive Health Care Reform "
        "Bill which decriminalized abortion."
    )
    assert "08" not in _roots(events), events
    events = events_of(
        "On the same day, Kurt Volker, the United States special envoy for Ukraine "
        "negotiations, resigned without public explanation."
    )
    assert "04" not in _roots(events), events


def test_going_somewhere_and_taxing_are_no_events(events_of):
    # Wikinews 2019 (off-topic articles): "went to the scene" was a consultation (040),
    # "Syria is taxing certain goods" a sanction (172)
    events = events_of(
        "President Emmanuel Macron cancelled an address he was to have given during the "
        "evening and instead went to the scene."
    )
    assert _roots(events) <= {"01"}, events
    assert not events_of("Syria is taxing certain goods toward the cost of reconstruction.")
    # a visit to a state is still one
    events = events_of("Putin travelled to Turkey on Monday.")
    assert {(e.code[:2], e.target.country) for e in events if e.target} == {("04", "TUR")}


def test_a_state_name_inside_another_place_name_is_not_the_state(events_of):
    # Wikinews 2019: "retreated to New Mexico" made Mexico the target
    assert not [e for e in events_of("Robert Hunter retreated to New Mexico.") if e.target]


def test_a_praising_label_is_praise_not_criticism(events_of):
    # Wikinews 2019-02-17: "called D'Souza "humble and soft-spoken"" was criticism (111)
    events = events_of(
        'State Congress President Girish Chodankar called D\'Souza "humble and soft-spoken".'
    )
    assert _roots(events) == {"05"}, events
    events = events_of('Erdogan called Macron "not a good leader".')
    assert _roots(events) == {"11"}, events


def test_encouraging_someone_to_act_is_an_appeal(events_of):
    # Wikinews 2019-09-29: "Callamard encouraged the CIA to release the files" was
    # praise (051); Wikinews 2019-09-25: "directing six of the House's committees to
    # proceed" was cooperation (060)
    events = events_of(
        "UN rapporteur Agnès Callamard encouraged the CIA to release the files from their "
        "investigation."
    )
    assert _roots(events) == {"02"}, events
    events = events_of(
        "Specifically, Nancy Pelosi was directing six of the House's committees to proceed "
        "with their investigations."
    )
    assert "06" not in _roots(events), events
    # encouraging a thing still supports it
    assert _roots(events_of("The EU encouraged the talks between Serbia and Kosovo.")) == {"05"}


def test_an_event_noun_that_describes_its_subject_is_no_second_act(events_of):
    # Wikinews 2019: "the wall, which was one of his campaign promises" (030), "Brazil ...
    # is part of a pact between the European Union and Mercosur" (057), "neutralizing the
    # threat ... is an aim of the Turkish military operation" (190)
    events = events_of(
        "The President insists that the budget include funding for the wall, which was one "
        "of his campaign promises."
    )
    assert "03" not in _roots(events), events
    # what the subject suffered happened ("was the target of an attack")
    events = events_of("In 2006, Abqaiq was the target of an Al-Qaeda suicide attack.")
    assert "18" in _roots(events), events
